import { formatDate as formatSharedDate } from "@samakki/shared/i18n/format";
import { isLanguage, type Language, negotiateLanguage, translate } from "@samakki/shared/i18n/index";
import { hasKhmer } from "@samakki/shared/i18n/khmer-text";
import { localName } from "@samakki/shared/names";
import * as paths from "@samakki/shared/paths";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { escapeHtml } from "../../lib/html.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import { parseId } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute } from "../../lib/route.ts";
import { publicBody, publicPage } from "../public-site/layout.tsx";
import { coalitionNameOf } from "../public-site/public-site.service.ts";
import { atomFeed } from "./atom.ts";
import { findPublishedStatement, publishedSignatoriesOfVotes, publishedStatementsOf } from "./public.service.ts";
import { canonicalText, publicationRecord } from "./statement-text.ts";

const tags = ["Public pages"];
const text = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string() } } });
const statementParams = z.object({ statementId: z.string() });
const langQuery = z.object({
  lang: z.string().optional().openapi({ description: "km or en; otherwise the Accept-Language header decides" }),
});

/** The published statement the path names; a malformed id is as unknown as a missing one. */
async function publishedStatement(c: Context<AppEnv>) {
  const id = parseId(c.req.param("statementId"));
  return id ? await findPublishedStatement(c.get("deps").db, id) : undefined;
}

function pageLanguage(c: Context<AppEnv>): Language {
  const q = c.req.query("lang");
  return isLanguage(q) ? q : negotiateLanguage(c.req.header("accept-language"));
}

function formatDate(date: Date, lang: Language, timeZone: string) {
  return formatSharedDate(date, lang, timeZone, { month: "long" });
}

/** Server-rendered, script-free public pages: a published statement and its coalition's Atom feed (assets: public-site). */
export const publicStatementRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/statements/{statementId}",
      tags,
      summary: "A published joint statement: text in both languages, signatories, fingerprints, receipts (HTML)",
      request: { params: statementParams, query: langQuery },
      responses: { 200: text("text/html", "The page"), 404: text("text/html", "The not-found page") },
    }),
    async (c) => {
      const statement = await publishedStatement(c);
      const lang = pageLanguage(c);
      const t = (key: string, params?: Record<string, string | number>) => escapeHtml(translate(lang, `public.${key}`, params));
      if (!statement) {
        // As the public site's not-found pages: the Khmer face with it, cached a minute only.
        return publicPage(
          c,
          `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t("notFound")}</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/public/statement.css"></head><body><main><h1>${t("notFound")}</h1></main></body></html>`,
          { status: 404, maxAge: 60 },
        );
      }
      const coalition = coalitionNameOf(statement, lang);
      const adopted = statement.closed_at ? formatDate(statement.closed_at, lang, statement.time_zone) : "";
      const published = statement.published_at ? formatDate(statement.published_at, lang, statement.time_zone) : "";
      const bodies = [
        statement.body_km.trim() ? `<section class="lang" lang="km">${renderMarkdown(statement.body_km)}</section>` : "",
        statement.body_en.trim() ? `<section class="lang" lang="en">${renderMarkdown(statement.body_en)}</section>` : "",
      ];
      if (lang === "en") bodies.reverse();
      const signatories = statement.signatories
        .map((s) => `<li>${escapeHtml(localName(s, lang))}${s.shortName ? ` (${escapeHtml(s.shortName)})` : ""}</li>`)
        .join("");
      const other = lang === "km" ? "km" : "en";
      // The title is written in one language, whatever the page's: a screen reader reads a Latin-script
      // title on the Khmer page with an English voice, not a Khmer one.
      const titleLang = hasKhmer(statement.title) ? "km" : "en";
      const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(statement.title)} · ${escapeHtml(coalition)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/public/statement.css">
<link rel="alternate" type="application/atom+xml" title="${escapeHtml(coalition)}" href="${escapeHtml(paths.statementsFeed(statement.coalition_slug))}">
</head><body><main>
<nav class="noprint"><a href="?lang=${other === "km" ? "en" : "km"}">${t("switchLanguage")}</a> · <a href="${escapeHtml(paths.statementsFeed(statement.coalition_slug))}">${t("feed")}</a></nav>
<header><p><a href="${escapeHtml(paths.publicCoalition(statement.coalition_slug))}">${t("coalitionHome", { coalition })}</a></p><p>${t("jointStatement", { coalition })}</p><h1${titleLang === lang ? "" : ` lang="${titleLang}"`}>${escapeHtml(statement.title)}</h1>
<p class="meta">${t("adoptedOn", { date: adopted })} · ${t("publishedOn", { date: published })}</p></header>
${bodies.join("")}
<h2>${t("signatories")}</h2>
${signatories ? `<ul class="signatories">${signatories}</ul>` : `<p>${t("noNamedSignatories")}</p>`}
${statement.anonymousCount > 0 ? `<p>${t("anonymousCount", { count: statement.anonymousCount })}</p>` : ""}
<h2>${t("verification")}</h2>
<p class="meta">${t("hashExplained", { version: statement.number })}</p><p class="hash"><a href="${escapeHtml(paths.publicStatementText(statement.id))}">SHA-256 ${escapeHtml(statement.sha256)}</a></p>
${statement.publication_sha256 ? `<p class="meta">${t("publicationExplained")}</p><p class="hash"><a href="${escapeHtml(paths.publicStatementPublication(statement.id))}">${t("publicationRecord")}${escapeHtml(translate(lang, "common.labelSeparator"))}SHA-256 ${escapeHtml(statement.publication_sha256)}</a></p>` : ""}
<p class="meta">${t("receiptsExplained")}</p><p class="receipts">${statement.receipts.map(escapeHtml).join("<br>")}</p>
</main></body></html>`;
      return publicPage(c, html);
    },
  )
  /** The exact canonical text the SHA-256 on the page is computed over, so anyone can recompute it. */
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/statements/{statementId}/text",
      tags,
      summary: "The canonical text of a published statement, the one its SHA-256 is computed over",
      request: { params: statementParams },
      responses: { 200: text("text/plain", "The canonical text") },
    }),
    async (c) => {
      const statement = await publishedStatement(c);
      if (!statement) throw new AppError("not_found", "statement");
      const text = canonicalText({ title: statement.title, bodyEn: statement.body_en, bodyKm: statement.body_km });
      return publicBody(c, text, "text/plain; charset=utf-8");
    },
  )
  /** The publication record (text and signatories as named at the close) the publication fingerprint is computed over. */
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/statements/{statementId}/publication",
      tags,
      summary:
        "The publication record of a statement (text and signatories at the close), the one its publication fingerprint is computed over",
      request: { params: statementParams },
      responses: { 200: text("text/plain", "The publication record") },
    }),
    async (c) => {
      const statement = await publishedStatement(c);
      if (!statement?.publication_sha256) throw new AppError("not_found", "statement");
      const record = publicationRecord(
        { title: statement.title, bodyEn: statement.body_en, bodyKm: statement.body_km },
        statement.signatories,
        statement.anonymousCount,
      );
      return publicBody(c, record, "text/plain; charset=utf-8");
    },
  )
  /**
   * The coalition's Atom feed. 404 unless the coalition has published statements, with the same
   * answer as an unknown slug, so a feed URL does not confirm that a coalition exists.
   */
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/coalitions/{slug}/statements.atom",
      tags,
      summary: "Atom feed of a coalition's published statements (404 for a coalition without any, as for an unknown slug)",
      request: { params: z.object({ slug: z.string() }), query: langQuery },
      responses: { 200: text("application/atom+xml", "The feed") },
    }),
    async (c) => {
      const { db, config } = c.get("deps");
      const items = await publishedStatementsOf(db, c.req.param("slug"));
      const first = items[0];
      if (!first) throw new AppError("not_found", "feed");
      const lang = pageLanguage(c);
      const signatories = await publishedSignatoriesOfVotes(
        db,
        items.map((i) => i.vote_id),
      );
      const self = `${config.publicUrl}${paths.statementsFeed(first.coalition_slug)}`;
      // The feed's title in the language asked for (?lang=km: the coalition's Khmer name, when it has one).
      const coalition = coalitionNameOf(first, lang);
      const xml = atomFeed({
        id: self,
        title: coalition,
        author: coalition,
        selfLink: self,
        updated: first.published_at ?? new Date(0),
        entries: items.map((item) => {
          const names = (signatories.get(item.vote_id) ?? []).map((s) =>
            s.shortName ? `${localName(s, lang)} (${s.shortName})` : localName(s, lang),
          );
          const body = renderMarkdown(item.body_km.trim() ? `${item.body_km}\n\n---\n\n${item.body_en}` : item.body_en);
          const signed = names.length
            ? `<h2>${escapeHtml(translate(lang, "public.signatories"))}</h2><ul>${names.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`
            : "";
          return {
            id: `${config.publicUrl}${paths.publicStatement(item.id)}`,
            title: item.title,
            link: `${config.publicUrl}${paths.publicStatement(item.id)}`,
            published: item.published_at ?? new Date(0),
            contentHtml: body + signed,
          };
        }),
      });
      return publicBody(c, xml, "application/atom+xml; charset=utf-8");
    },
  );
