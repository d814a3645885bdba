/**
 * The Khmer face ("Samakki Khmer", styles.css), loaded once and waited for before Khmer text is
 * drawn: drawn first in a fallback face (empty boxes where the device has no Khmer face, another
 * face's widths where it has one), the text changed width when the face came, and what it wrapped
 * moved the links and buttons below it under a finger (e2e/layout-stability.e2e.test.ts).
 *
 *   - A Khmer page waits for it before its first paint (main.tsx).
 *   - An English page draws one Khmer word of its own (the language switcher's, which has a width
 *     of its own in styles.css) and does not wait for it; the people's own words can be Khmer
 *     there too (a campaign's title, an organisation's name), so an API answer with Khmer in it is
 *     handed over once the face is there (lib/api-client.ts). The first such answer asks for it.
 *     (A problem's text is not waited for: its words are the app's own, in the reader's language.)
 *
 * Where the device has Noto Sans Khmer (most Android phones), nothing is downloaded and nothing
 * waits; without it, over "Slow 4G", a Khmer page's first paint comes about 0.7 s later, with its
 * text readable (e2e/performance.e2e.test.ts reports it). Once downloaded, the face is kept (a
 * hashed file, cached for good). A face that fails (offline, not cached) or takes longer than
 * WAIT_MS is not waited for, then or later: the text is drawn in whatever face there is.
 */
const WAIT_MS = 3000;

let ready: Promise<void> | undefined;

export function khmerFaceReady(): Promise<void> {
  if (ready) return ready;
  const fonts = globalThis.document?.fonts;
  if (!fonts?.load) {
    ready = Promise.resolve();
    return ready;
  }
  const loaded = Promise.all(["400", "700"].map((weight) => fonts.load(`${weight} 1em "Samakki Khmer"`, "ក"))).then(
    () => undefined,
    () => undefined,
  );
  ready = Promise.race([loaded, new Promise<void>((resolve) => setTimeout(resolve, WAIT_MS))]);
  return ready;
}
