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

/** User Markdown → safe HTML (marked for the Markdown, sanitize-html as the sanitiser). */
export function renderMarkdown(source: string): string {
  if (!source.trim()) return "";
  const html = marked.parse(source) as string;
  return sanitizeHtml(html, { ...SANITIZE, allowedAttributes: { ...SANITIZE.allowedAttributes, a: ["href", "title", "rel"] } });
}
