import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../lib/context.ts";
import { policies } from "../../lib/policy.ts";
import { defineRoute } from "../../lib/route.ts";
import { REFERENCE_CSS, renderApiReference } from "./reference.ts";

const OPENAPI_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "Samakki API",
    version: "1.0.0",
    description: [
      "The HTTP API of Samakki. Sign in with POST /api/auth/sign-in; the session cookie authenticates later requests. Mutations need a same-origin Origin header and Content-Type: application/json. Errors are application/problem+json (RFC 9457).",
      "",
      "- **Language** of messages, problem titles and translated names: the `X-Samakki-Language` header (`en` or `km`) when sent; otherwise the signed-in person's own language; otherwise `Accept-Language`.",
      "- **Two people editing**: a task, a campaign and a statement answer their revision as the `ETag` header (and as `revision`, or `current.number` for a statement). Send it back as `If-Match` with an edit, and the edit is refused with 412 `edit_conflict`, changing nothing, when someone else's came first.",
      "- **Sending again**: the requests that create something (tasks, statements, their comments, ballots, campaigns, campaign updates, contributions, letters sent) take an `Idempotency-Key` header: sent again with the same key after a failure or a timeout, such a request is done once and answered again with the first answer (`Idempotent-Replayed: true`). Keys are the sender's own and kept 24 hours.",
      "- **Pages** are keyset-paginated: pass `nextCursor` back as `cursor` until it is null. Lists ordered by their last change (tasks, campaigns, statements) move an item changed while you page to the first page, where a later page does not show it: to be sure to see every item, read again from the first page until the items you meet are ones you already have.",
      "- **Times** are ISO 8601 with an offset, except a campaign activity's `startsAt` and `endsAt` (read and written) and the `closesAt` sent to open a vote: those are `YYYY-MM-DDTHH:mm`, the wall-clock time of the coalition's time zone (its `timeZone`), without an offset.",
    ].join("\n"),
  },
};
/** The document as a JSON object: parsed on its way out, as Hono's typed `c.json` cannot take the OpenAPI types' optional fields. */
const OpenApiDocument = z.looseObject({});

export function openApiRoutes(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "session", { type: "apiKey", in: "cookie", name: "__Host-samakki_session" });
  // Declared like every other route, so the document lists itself and its public policy.
  const tags = ["Operations"];
  const text = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string() } } });
  app.openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/api/openapi.json",
      tags,
      summary: "This OpenAPI 3.1 document",
      responses: { 200: { description: "The document", content: { "application/json": { schema: OpenApiDocument } } } },
    }),
    (c) => c.json(OpenApiDocument.parse(app.getOpenAPI31Document(OPENAPI_CONFIG)), 200),
  );
  app.openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/api/docs",
      tags,
      summary: "Readable API reference (HTML, no script)",
      responses: { 200: text("text/html", "The reference") },
    }),
    (c) => c.html(renderApiReference(app.getOpenAPI31Document(OPENAPI_CONFIG)), 200),
  );
  app.openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/api/docs.css",
      tags,
      summary: "The reference's stylesheet",
      responses: { 200: text("text/css", "The stylesheet") },
    }),
    (c) => c.body(REFERENCE_CSS, 200, { "content-type": "text/css; charset=utf-8" }),
  );
}
