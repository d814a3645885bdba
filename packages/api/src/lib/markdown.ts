import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: true, async: false });

/** Tags and attributes that Markdown produces; anything else (raw HTML, scripts, styles, event handlers) is dropped. */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }) },
};

/**
 * Rendered HTML by source text, least recently used first. Rendering is a pure function of the
 * text, and the texts read most (statement versions, campaign descriptions) never change once
 * written: the statement endpoint spent most of its CPU re-rendering the same Markdown on every
 * read. Bounded by characters held, so a few huge texts cannot grow it without limit.
 */
const CACHE_MAX_CHARS = 4_000_000;
const cache = new Map<string, string>();
let cachedChars = 0;

function remember(source: string, html: string): void {
  const size = source.length + html.length;
  if (size > CACHE_MAX_CHARS / 8) return;
  cache.set(source, html);
  cachedChars += size;
  for (const [key, value] of cache) {
    if (cachedChars <= CACHE_MAX_CHARS) break;
    cache.delete(key);
    cachedChars -= key.length + value.length;
  }
}

/** User Markdown → safe HTML (marked for the Markdown, sanitize-html as the sanitiser). */
export function renderMarkdown(source: string): string {
  if (!source.trim()) return "";
  const cached = cache.get(source);
  if (cached !== undefined) {
    // Most recently used last.
    cache.delete(source);
    cache.set(source, cached);
    return cached;
  }
  const html = sanitizeHtml(marked.parse(source) as string, {
    ...SANITIZE,
    allowedAttributes: { ...SANITIZE.allowedAttributes, a: ["href", "title", "rel"] },
  });
  remember(source, html);
  return html;
}

/** How many rendered texts are cached (for tests). */
export function markdownCacheSize(): number {
  return cache.size;
}
