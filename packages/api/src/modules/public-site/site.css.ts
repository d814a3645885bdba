/**
 * The stylesheet of every public, server-rendered page (`/public/site.css`, also served as
 * `/public/statement.css`). One Khmer font weight only (the 400 subset, ~23 KB): bold Khmer text is
 * synthesised by the browser, so a page never pulls a second font file and stays under its 60 KiB
 * budget. Phones first (360 px), readable without the font, printable. On an English page the
 * language switcher's "ខ្មែរ" keeps a width of its own (that of the fallback face here), so that the
 * link beside it does not move when the face comes (a Khmer page has the face from its first paint:
 * khmerFaceCss below). Every link and box a finger aims at is at least 44 px tall (2.75rem): the
 * language links, the "on this page" links, the calendar links, a checkbox's whole line.
 */
const KHMER_RANGE = "U+1780-17FF,U+19E0-19FF,U+200C-200D,U+25CC";
/** The face as installed on the reader's device (Android has it): no download, no wait. */
const KHMER_LOCAL = 'local("Noto Sans Khmer"),local("NotoSansKhmer-Regular")';

export const SITE_CSS = `@font-face{font-family:"Noto Sans Khmer";font-weight:400;font-display:swap;src:${KHMER_LOCAL},url(/public/fonts/noto-sans-khmer-400.woff2) format("woff2");unicode-range:${KHMER_RANGE}}
:root{color-scheme:light;--accent:#b8860b;--link:#0b5cad;--muted:#555;--line:#ddd}
*{box-sizing:border-box}
body{margin:0;font:17px/1.7 "Noto Sans Khmer",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f23;background:#fff}
main{max-width:42rem;margin:0 auto;padding:1.25rem}header{border-bottom:3px solid var(--accent);margin-bottom:1.5rem}header p{margin:.25rem 0;color:var(--muted)}
h1{font-size:1.6rem;line-height:1.4;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:1rem 0 .25rem}
.lang{margin-top:2rem}.lang+.lang{border-top:1px solid var(--line);padding-top:1rem}
[lang=km]{line-height:1.9}.meta{font-size:.9rem;color:var(--muted)}
.pow-status{visibility:hidden}.pow-status.working{visibility:visible}.muted{color:var(--muted)}.hash{font:12px/1.4 ui-monospace,monospace;word-break:break-all}
ul.signatories{columns:2 14rem;padding-left:1.2rem}.receipts{font:12px/1.6 ui-monospace,monospace;columns:3 10rem}nav{font-size:.9rem;margin-bottom:1rem}a{color:var(--link)}
.site-bar{display:flex;flex-wrap:wrap;gap:.25rem 1rem;justify-content:space-between;align-items:center;max-width:42rem;margin:0 auto;padding:.25rem 1.25rem 0;font-size:.9rem}
.site-bar ul{display:flex;gap:.25rem;list-style:none;margin:0;padding:0}.site-bar [aria-current]{font-weight:700;color:inherit;text-decoration:none}
.site-bar a{display:inline-block;min-width:2.75rem;min-height:2.75rem;padding:.55rem .5rem;text-align:center}
html[lang=en] .site-bar a[lang=km]{min-width:4.25em}
main nav a,.meta a,.join-list a,a.tap,h3>a{display:inline-block;min-height:2.75rem;padding:.55rem .15rem}
.site-footer{max-width:42rem;margin:2rem auto 0;padding:1rem 1.25rem 2rem;border-top:1px solid var(--line);font-size:.85rem;color:var(--muted)}
.stack>*+*{margin-top:1rem}
.card{border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:1rem 0;overflow-wrap:anywhere}.card>:first-child{margin-top:0}.card>:last-child{margin-bottom:0}fieldset.card>legend{float:left;width:100%;padding:0;margin:0 0 .75rem;font-weight:600}fieldset.card>legend+*{clear:both}
.progress{height:.75rem;background:#eee;border-radius:.375rem;overflow:hidden;margin:.25rem 0}.progress>span{display:block;height:100%;max-width:100%;background:var(--accent)}
.field{display:block;margin:0 0 1rem}.field>label,.field>span{display:block;font-weight:700;margin-bottom:.25rem}
.field input,.field textarea,.field select{display:block;width:100%;min-height:2.75rem;font:inherit;padding:.5rem .625rem;border:1px solid #888;border-radius:.375rem;background:#fff;color:inherit}
.field input[type=checkbox],.field input[type=radio]{display:inline-block;width:1.375rem;height:1.375rem;margin:0 .625rem 0 0;flex:none}
.field>label:has(>input[type=checkbox]),.field>label:has(>input[type=radio]){display:flex;align-items:center;min-height:2.75rem;font-weight:400;cursor:pointer}
.button{display:inline-block;font:inherit;font-weight:700;padding:.6rem 1.2rem;min-height:2.75rem;border:0;border-radius:.375rem;background:var(--link);color:#fff;text-decoration:none;cursor:pointer}
.notice{border-left:4px solid #2e7d32;background:#edf7ee;padding:.75rem 1rem;margin:1rem 0}
.error{color:#b00020}.notice.error,p.error{border-left:4px solid #b00020;background:#fdecee;padding:.75rem 1rem}.field .error{display:block;font-size:.9rem;margin-top:.25rem}
.field [aria-invalid=true]{border-color:#b00020}
svg{max-width:100%;height:auto}
@media print{nav,.noprint,.site-bar,form,.button{display:none}body{font-size:12pt}main{max-width:none;padding:0}a{color:inherit;text-decoration:none}.receipts{columns:4}.card{break-inside:avoid}.progress{border:1px solid #000}.progress>span{background:#000;print-color-adjust:exact;-webkit-print-color-adjust:exact}}`;

/**
 * The Khmer face inside a stylesheet (`/public/khmer.css`), linked after site.css by every page with
 * Khmer text on it (layout.tsx, withKhmerFace): the same face, its file as a `data:` URL. A
 * stylesheet holds back the page's first paint, so such a page is drawn in its face from the start.
 * With the file fetched on its own (site.css, `font-display: swap`), the text was drawn first in a
 * fallback face and changed width when the file came, which moved the "Sign" button and every link
 * below the title by a line (e2e/layout-stability.e2e.test.ts). The same bytes on the wire (base64
 * is undone by the transfer's compression), fetched once and kept. An English page whose only
 * Khmer is the switcher's "ខ្មែរ" does not hold its paint for it: it fetches the file as before.
 */
export function khmerFaceCss(font: Uint8Array): string {
  const data = Buffer.from(font).toString("base64");
  return `@font-face{font-family:"Noto Sans Khmer";font-weight:400;font-display:swap;src:${KHMER_LOCAL},url(data:font/woff2;base64,${data}) format("woff2");unicode-range:${KHMER_RANGE}}\n`;
}
