import { isLanguage, type Language, negotiateLanguage, translate } from "@samakki/shared/i18n/index";
import type { Context } from "hono";
import type { AppEnv } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter } from "../../lib/route.ts";
import { atomFeed } from "./atom.ts";
import { findPublishedStatement, publishedSignatoriesOfVotes, publishedStatementsOf } from "./public.service.ts";
import { canonicalText, publicationRecord } from "./statement-text.ts";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function pageLanguage(c: Context<AppEnv>): Language {
  const q = c.req.query("lang");
  return isLanguage(q) ? q : negotiateLanguage(c.req.header("accept-language"));
}

function formatDate(date: Date, lang: Language, timeZone: string) {
  try {
    return new Intl.DateTimeFormat(lang === "km" ? "km-KH" : "en-GB", { dateStyle: "long", timeZone }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

/** Server-rendered, script-free public pages: a published statement and its coalition's Atom feed (assets: public-site). */
export const publicStatementRoutes = createRouter()
  .get("/statements/:statementId", policies.public(), async (c) => {
    const id = c.req.param("statementId");
    const statement = /^[0-9a-f-]{36}$/i.test(id) ? await findPublishedStatement(c.get("deps").db, id.toLowerCase()) : undefined;
    const lang = pageLanguage(c);
    const t = (key: string, params?: Record<string, string | number>) => escapeHtml(translate(lang, `public.${key}`, params));
    if (!statement) {
      return c.html(
        `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t("notFound")}</title><link rel="stylesheet" href="/public/statement.css"></head><body><main><h1>${t("notFound")}</h1></main></body></html>`,
        404,
      );
    }
    const adopted = statement.closed_at ? formatDate(statement.closed_at, lang, statement.time_zone) : "";
    const published = statement.published_at ? formatDate(statement.published_at, lang, statement.time_zone) : "";
    const bodies = [
      statement.body_km.trim() ? `<section class="lang" lang="km">${renderMarkdown(statement.body_km)}</section>` : "",
      statement.body_en.trim() ? `<section class="lang" lang="en">${renderMarkdown(statement.body_en)}</section>` : "",
    ];
    if (lang === "en") bodies.reverse();
    const signatories = statement.signatories
      .map((s) => `<li>${escapeHtml(s.name)}${s.shortName ? ` (${escapeHtml(s.shortName)})` : ""}</li>`)
      .join("");
    const other = lang === "km" ? "km" : "en";
    const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(statement.title)} · ${escapeHtml(statement.coalition_name)}</title>
<link rel="stylesheet" href="/public/statement.css">
<link rel="alternate" type="application/atom+xml" title="${escapeHtml(statement.coalition_name)}" href="/coalitions/${escapeHtml(statement.coalition_slug)}/statements.atom">
</head><body><main>
<nav class="noprint"><a href="?lang=${other === "km" ? "en" : "km"}">${t("switchLanguage")}</a> · <a href="/coalitions/${escapeHtml(statement.coalition_slug)}/statements.atom">${t("feed")}</a></nav>
<header><p>${t("jointStatement", { coalition: statement.coalition_name })}</p><h1>${escapeHtml(statement.title)}</h1>
<p class="meta">${t("adoptedOn", { date: adopted })} · ${t("publishedOn", { date: published })}</p></header>
${bodies.join("")}
<h2>${t("signatories")}</h2>
${signatories ? `<ul class="signatories">${signatories}</ul>` : `<p>${t("noNamedSignatories")}</p>`}
${statement.anonymousCount > 0 ? `<p>${t(statement.anonymousCount === 1 ? "anonymousOne" : "anonymousCount", { count: statement.anonymousCount })}</p>` : ""}
<h2>${t("verification")}</h2>
<p class="meta">${t("hashExplained", { version: statement.number })}</p><p class="hash"><a href="/statements/${escapeHtml(statement.id)}/text">SHA-256 ${escapeHtml(statement.sha256)}</a></p>
${statement.publication_sha256 ? `<p class="meta">${t("publicationExplained")}</p><p class="hash"><a href="/statements/${escapeHtml(statement.id)}/publication">${t("publicationRecord")}: SHA-256 ${escapeHtml(statement.publication_sha256)}</a></p>` : ""}
<p class="meta">${t("receiptsExplained")}</p><p class="receipts">${statement.receipts.map(escapeHtml).join("<br>")}</p>
</main></body></html>`;
    return c.html(html, 200, { "cache-control": "public, max-age=300" });
  })
  /** The exact canonical text the SHA-256 on the page is computed over, so anyone can recompute it. */
  .get("/statements/:statementId/text", policies.public(), async (c) => {
    const id = c.req.param("statementId");
    const statement = /^[0-9a-f-]{36}$/i.test(id) ? await findPublishedStatement(c.get("deps").db, id.toLowerCase()) : undefined;
    if (!statement) throw new AppError("not_found", "statement");
    const text = canonicalText({ title: statement.title, bodyEn: statement.body_en, bodyKm: statement.body_km });
    return c.body(text, 200, { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=300" });
  })
  /** The publication record (text and signatories as named at the close) the publication fingerprint is computed over. */
  .get("/statements/:statementId/publication", policies.public(), async (c) => {
    const id = c.req.param("statementId");
    const statement = /^[0-9a-f-]{36}$/i.test(id) ? await findPublishedStatement(c.get("deps").db, id.toLowerCase()) : undefined;
    if (!statement?.publication_sha256) throw new AppError("not_found", "statement");
    const record = publicationRecord(
      { title: statement.title, bodyEn: statement.body_en, bodyKm: statement.body_km },
      statement.signatories,
      statement.anonymousCount,
    );
    return c.body(record, 200, { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=300" });
  })
  /**
   * The coalition's Atom feed. 404 unless the coalition has published statements, with the same
   * answer as an unknown slug, so a feed URL does not confirm that a coalition exists.
   */
  .get("/coalitions/:slug/statements.atom", policies.public(), async (c) => {
    const { db, config } = c.get("deps");
    const items = await publishedStatementsOf(db, c.req.param("slug"));
    const first = items[0];
    if (!first) throw new AppError("not_found", "feed");
    const lang = pageLanguage(c);
    const signatories = await publishedSignatoriesOfVotes(
      db,
      items.map((i) => i.vote_id),
    );
    const self = `${config.publicUrl}/coalitions/${first.coalition_slug}/statements.atom`;
    const xml = atomFeed({
      id: self,
      title: first.coalition_name,
      author: first.coalition_name,
      selfLink: self,
      updated: first.published_at ?? new Date(0),
      entries: items.map((item) => {
        const names = (signatories.get(item.vote_id) ?? []).map((s) => (s.shortName ? `${s.name} (${s.shortName})` : s.name));
        const body = renderMarkdown(item.body_km.trim() ? `${item.body_km}\n\n---\n\n${item.body_en}` : item.body_en);
        const signed = names.length
          ? `<h2>${escapeHtml(translate(lang, "public.signatories"))}</h2><ul>${names.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`
          : "";
        return {
          id: `${config.publicUrl}/statements/${item.id}`,
          title: item.title,
          link: `${config.publicUrl}/statements/${item.id}`,
          published: item.published_at ?? new Date(0),
          contentHtml: body + signed,
        };
      }),
    });
    return c.body(xml, 200, { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=300" });
  });
