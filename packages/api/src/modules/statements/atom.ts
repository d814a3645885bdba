/**
 * A minimal Atom 1.0 (RFC 4287) writer for the public statement feed. Everything people wrote
 * (titles, names) is emitted as `type="text"` and XML-escaped; the only markup is the statement
 * body, already sanitised HTML, escaped into a `type="html"` content element. The `feed` package
 * (6.0.0) wrote entry titles as `<title type="html"><![CDATA[…]]></title>`: the XML stayed well
 * formed (it splits CDATA at `]]>`), but `type="html"` tells every reader to render the title as
 * HTML, so a title such as `]]><script>…` became live markup in feed readers.
 */

/** Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text for an XML element or attribute value: invalid characters dropped, markup characters escaped. */
export function xmlText(value: string): string {
  return value.replace(NOT_XML, "").replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? "");
}

interface AtomEntry {
  id: string;
  title: string;
  link: string;
  published: Date;
  /** Sanitised HTML. */
  contentHtml: string;
}

interface AtomFeed {
  id: string;
  title: string;
  author: string;
  selfLink: string;
  updated: Date;
  entries: AtomEntry[];
}

const text = (tag: string, value: string) => `<${tag} type="text">${xmlText(value)}</${tag}>`;

export function atomFeed(feed: AtomFeed): string {
  const entries = feed.entries.map(
    (e) =>
      `<entry><id>${xmlText(e.id)}</id>${text("title", e.title)}<link rel="alternate" type="text/html" href="${xmlText(e.link)}"/>` +
      `<published>${e.published.toISOString()}</published><updated>${e.published.toISOString()}</updated>` +
      `<content type="html">${xmlText(e.contentHtml)}</content></entry>`,
  );
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">` +
    `<id>${xmlText(feed.id)}</id>${text("title", feed.title)}<updated>${feed.updated.toISOString()}</updated>` +
    `<author><name>${xmlText(feed.author)}</name></author><link rel="self" type="application/atom+xml" href="${xmlText(feed.selfLink)}"/>` +
    `<generator>Samakki</generator>${entries.join("")}</feed>\n`
  );
}
