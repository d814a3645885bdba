/** @jsxImportSource hono/jsx */
import { createHash } from "node:crypto";
import { formatDate, formatDateTime, formatDay, formatNumber } from "@samakki/shared/i18n/format";
import { isLanguage, type Language, negotiateLanguage, translate } from "@samakki/shared/i18n/index";
import { hasKhmer } from "@samakki/shared/i18n/khmer-text";
import * as paths from "@samakki/shared/paths";
import type { Context } from "hono";
import { type Child, createContext, useContext } from "hono/jsx";
import { uncompressedTag } from "../../lib/compression.ts";
import type { AppEnv } from "../../lib/context.ts";
import { PUBLIC_PAGE_CSP } from "../../lib/security.ts";

/**
 * The frame of every public, server-rendered page (hono/jsx: every text and attribute is escaped).
 * No script, no third-party font or image; the stylesheet and the Khmer font subset are ours.
 */

/** Each language named in itself (as the app's language switcher does), so a reader finds their own. */
const ENDONYMS: Record<Language, string> = { en: "English", km: "ខ្មែរ" };

/** The page's language: `?lang=km|en`, else the browser's Accept-Language. */
export function publicLanguage(c: Context<AppEnv>): Language {
  const q = c.req.query("lang");
  return isLanguage(q) ? q : negotiateLanguage(c.req.header("accept-language"));
}

/** A translator for one language; returns plain text (hono/jsx escapes it where it is placed). */
export function publicT(lang: Language) {
  return (key: string, params?: Record<string, string | number>): string => translate(lang, key, params ?? {});
}

/**
 * A date in the coalition's time zone, long form, through the shared formatter (Khmer month names
 * and digits in km). A calendar date (`YYYY-MM-DD`) is shown as that day whatever the time zone.
 */
export function formatPublicDate(date: Date | string, lang: Language, timeZone: string): string {
  if (typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date)) return formatDay(date, lang, { month: "long" });
  return formatDate(date, lang, timeZone, { month: "long" });
}

/** A date and time in the coalition's time zone, long form, 24-hour clock. */
export function formatPublicDateTime(date: Date | string, lang: Language, timeZone: string): string {
  return formatDateTime(date, lang, timeZone, { month: "long" });
}

/** A number for reading (Khmer digits in km), at most two decimals. */
export function formatPublicNumber(n: number | string, lang: Language): string {
  const value = typeof n === "string" ? Number(n) : n;
  if (!Number.isFinite(value)) return String(n);
  return formatNumber(value, lang, { maximumFractionDigits: 2 });
}

/** The public origin (`PUBLIC_URL`), given to the page by `publicHtml` so links and meta are absolute. */
const OriginContext = createContext<string>("");

interface PublicPageProps {
  lang: Language;
  title: string;
  description?: string;
  /**
   * The page's path (`/coalitions/x`), with the query that makes it this page where it has one (a
   * letter's chosen province), never `lang`: language links and hreflang are built from it.
   */
  path: string;
  /** An absolute canonical URL, when it is not this path in this language. */
  canonical?: string;
  og?: { title: string; description: string; image?: string };
  /**
   * A form on the page came back with errors: the document's title says so first, the first thing
   * a screen reader reads of the page sent back (the form's first invalid field takes the focus
   * itself, with `autofocus`: these pages have no script).
   */
  invalid?: boolean;
  children?: Child;
}

const absolute = (origin: string, url: string) => (/^https?:\/\//.test(url) ? url : `${origin}${url}`);

/** The whole document: head (meta, CSS, canonical, hreflang, Open Graph, Twitter), language switch, main, footer. */
export function PublicPage(props: PublicPageProps) {
  const origin = useContext(OriginContext);
  const t = publicT(props.lang);
  const canonical = props.canonical ?? absolute(origin, paths.withLang(props.path, props.lang));
  const description = props.description ?? props.og?.description;
  const og = props.og;
  const image = og?.image ? absolute(origin, og.image) : undefined;
  const languages: Language[] = ["km", "en"];
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.invalid ? t("publicSite.layout.invalidTitle", { title: props.title }) : props.title}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/public/site.css" />
        <link rel="canonical" href={canonical} />
        {languages.map((l) => (
          <link key={l} rel="alternate" hreflang={l} href={absolute(origin, paths.withLang(props.path, l))} />
        ))}
        <link rel="alternate" hreflang="x-default" href={absolute(origin, props.path)} />
        {og ? (
          <>
            <meta property="og:type" content="website" />
            <meta property="og:title" content={og.title} />
            <meta property="og:description" content={og.description} />
            <meta property="og:url" content={canonical} />
            <meta property="og:locale" content={props.lang === "km" ? "km_KH" : "en_GB"} />
            {image ? <meta property="og:image" content={image} /> : null}
            {image ? <meta property="og:image:width" content="1200" /> : null}
            {image ? <meta property="og:image:height" content="630" /> : null}
            <meta name="twitter:card" content={image ? "summary_large_image" : "summary"} />
            <meta name="twitter:title" content={og.title} />
            <meta name="twitter:description" content={og.description} />
            {image ? <meta name="twitter:image" content={image} /> : null}
          </>
        ) : null}
      </head>
      <body>
        <nav class="site-bar" aria-label={t("publicSite.layout.languages")}>
          <span>{t("publicSite.layout.brand")}</span>
          <ul>
            {languages.map((l) => (
              <li key={l}>
                <a href={paths.withLang(props.path, l)} hreflang={l} lang={l} aria-current={l === props.lang ? "page" : undefined}>
                  {ENDONYMS[l]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main>{props.children}</main>
        <footer class="site-footer">
          <p>{t("publicSite.layout.footer")}</p>
        </footer>
      </body>
    </html>
  );
}

/** The public pages' stylesheet, under either name (the statement page writes its own head). */
const SITE_CSS_LINK = /<link rel="stylesheet" href="\/public\/(?:site|statement)\.css"\/?>/;
const KHMER_CSS_LINK = '<link rel="stylesheet" href="/public/khmer.css"/>';

/**
 * A page with Khmer text on it links the Khmer face's stylesheet after its own (site.css.ts,
 * khmerFaceCss): it is then drawn in the face from its first paint, and no line of it changes width
 * when the face comes. Every Khmer page; an English page when it shows Khmer besides the language
 * switcher's "ខ្មែរ" (a campaign's title, a coalition's name), which keeps its width without it.
 */
export function withKhmerFace(html: string): string {
  if (html.includes(KHMER_CSS_LINK) || !hasKhmer(html.replaceAll(`>${ENDONYMS.km}</a>`, "></a>"))) return html;
  return html.replace(SITE_CSS_LINK, (link) => `${link}${KHMER_CSS_LINK}`);
}

/** `"x"`, `"x-br"`, `"x-gzip"` and `W/"x"` name the same body (compression names its encoding in our strong ETag). */
function matches(ifNoneMatch: string | undefined, etag: string) {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((t) => uncompressedTag(t) === etag);
}

interface PublicHtmlOptions {
  status?: number;
  /** Seconds a browser or CDN may keep the page before revalidating (default 300). */
  maxAge?: number;
}

/**
 * Renders and sends a public page: `Cache-Control: public` (with stale-while-revalidate, so a
 * CDN can serve it), a strong ETag over the body and 304 on a matching `If-None-Match`;
 * `Vary: Accept-Language` when the language came from the browser rather than `?lang=`.
 */
export async function publicHtml(c: Context<AppEnv>, element: Child, options: PublicHtmlOptions = {}): Promise<Response> {
  const origin = c.get("deps").config.publicUrl;
  const rendered = <OriginContext.Provider value={origin}>{element}</OriginContext.Provider>;
  return publicPage(c, `<!doctype html>${await rendered.toString()}`, options);
}

/**
 * A page's whole HTML, rendered at once: for an error answer, which the app's error handler gives
 * synchronously (error-page.tsx). Undefined when a component waits on something (hono/jsx then
 * gives a promise); the pages rendered here wait on nothing.
 */
export function renderPageNow(c: Context<AppEnv>, element: Child): string | undefined {
  const rendered: unknown = (<OriginContext.Provider value={c.get("deps").config.publicUrl}>{element}</OriginContext.Provider>).toString();
  return rendered instanceof Promise ? undefined : withKhmerFace(`<!doctype html>${rendered}`);
}

/**
 * Sends a public page's whole HTML (publicHtml, or a page that writes its own head): with the Khmer
 * face's stylesheet when it has Khmer on it (withKhmerFace), under the public pages' policy
 * (progress bars set their width in a style attribute, the face is a data: URL; PUBLIC_PAGE_CSP).
 */
export function publicPage(c: Context<AppEnv>, html: string, options: PublicHtmlOptions = {}): Response {
  const res = publicBody(c, withKhmerFace(html), "text/html; charset=utf-8", options);
  res.headers.set("content-security-policy", PUBLIC_PAGE_CSP);
  return res;
}

/**
 * A public page that carries a token or a person's input or name (sign-up and petition links and
 * forms): rendered like every public page, but never stored by a browser or anyone else.
 */
export async function privateHtml(c: Context<AppEnv>, element: Child, status = 200): Promise<Response> {
  const res = await publicHtml(c, element, { status });
  const headers = new Headers(res.headers);
  headers.set("cache-control", "no-store");
  headers.delete("etag");
  return new Response(res.body, { status: res.status, headers });
}

/** The same caching rules for any public answer (feeds, calendars, images). */
export function publicBody(c: Context<AppEnv>, body: string | Uint8Array, contentType: string, options: PublicHtmlOptions = {}): Response {
  const status = options.status ?? 200;
  const maxAge = options.maxAge ?? 300;
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const headers: Record<string, string> = {
    "content-type": contentType,
    "cache-control": `public, max-age=${maxAge}, stale-while-revalidate=${maxAge * 12}`,
    etag,
  };
  if (!isLanguage(c.req.query("lang"))) headers.vary = "Accept-Language";
  if (status === 200 && matches(c.req.header("if-none-match"), etag)) {
    return c.body(null, 304, headers);
  }
  return c.body(typeof body === "string" ? body : new Uint8Array(body), status as 200, headers);
}
