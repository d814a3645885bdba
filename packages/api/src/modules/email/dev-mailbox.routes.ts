import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import { escapeHtml } from "../../lib/html.ts";
import { parseId } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonResponse } from "../../lib/route.ts";
import { readMailbox, readMessageHtml } from "./transports/dev-mailbox.ts";

/*
 * The dev mailbox: what the dev transport "sent", for people running Samakki without a
 * Resend key and for end-to-end tests. Every route is devOnly: 404 as if it did not exist
 * once a Resend key is configured or NODE_ENV=production.
 */

const tags = ["Development"];
const LIMIT = 200;

const DevMailboxMessage = z
  .object({
    id: z.uuid(),
    outboxId: z.uuid(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    createdAt: z.iso.datetime(),
  })
  .openapi("DevMailboxMessage");

const MailboxQuery = z.object({
  to: z.string().max(320).optional().openapi({ description: "Only messages to this address (case-insensitive)" }),
});

const listMessages = (db: Database, to: string | undefined) => readMailbox(db, to, LIMIT);

/** Escape the text, making http(s) addresses clickable. */
function linkify(text: string): string {
  const parts = text.split(/(https?:\/\/[^\s<>"']+)/g);
  return parts.map((part, i) => (i % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part))).join("");
}

function mailboxPage(messages: Awaited<ReturnType<typeof listMessages>>, to: string | undefined): string {
  const items = messages
    .map(
      (m) => `<article>
<h2>${escapeHtml(m.subject)}</h2>
<p>To: <a href="/dev/mailbox?to=${encodeURIComponent(m.to)}">${escapeHtml(m.to)}</a> · <time datetime="${escapeHtml(m.createdAt)}">${escapeHtml(m.createdAt)}</time> · <a href="/dev/mailbox/${escapeHtml(m.id)}">HTML version</a></p>
<pre>${linkify(m.text)}</pre>
</article>
<hr>`,
    )
    .join("\n");
  const filter = to ? `<p>Messages to ${escapeHtml(to)} · <a href="/dev/mailbox">all messages</a></p>` : "";
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Dev mailbox · Samakki</title></head>
<body>
<h1>Dev mailbox</h1>
<p>Emails the development transport kept instead of sending (newest first, at most ${LIMIT}). JSON: <a href="/api/dev/mailbox">/api/dev/mailbox</a>.</p>
${filter}
${items || "<p>No messages yet.</p>"}
</body>
</html>`;
}

export const devMailboxRoutes = createRouter().openapi(
  defineRoute(policies.devOnly(), {
    method: "get",
    path: "/api/dev/mailbox",
    tags,
    summary: "Emails kept by the dev transport, newest first (development only)",
    request: { query: MailboxQuery },
    responses: { 200: jsonResponse(z.object({ items: z.array(DevMailboxMessage) })) },
  }),
  async (c) => {
    const { to } = c.req.valid("query");
    return c.json({ items: await listMessages(c.get("deps").db, to) }, 200);
  },
);

devMailboxRoutes.get("/dev/mailbox", policies.devOnly(), async (c) => {
  const to = c.req.query("to")?.slice(0, 320) || undefined;
  return c.html(mailboxPage(await listMessages(c.get("deps").db, to), to), 200, { "cache-control": "no-store" });
});

// The email's own HTML, as its own page (the app's CSP forbids framing, so no iframe).
devMailboxRoutes.get("/dev/mailbox/:id", policies.devOnly(), async (c) => {
  const id = parseId(c.req.param("id"));
  if (!id) throw notFound("message");
  const html = await readMessageHtml(c.get("deps").db, id);
  if (html === undefined) throw notFound("message");
  return c.html(html, 200, { "cache-control": "no-store" });
});
