/**
 * The one HTML escape of the server-rendered pages (public statement pages, the API reference, the
 * dev mailbox): & < > " ' as numeric character references, so text and attribute values stay text.
 * Not `hono/html`: it writes named entities (&amp;), and the public pages' bytes are kept as they
 * were. JSX pages (hono/jsx) escape on their own.
 */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
