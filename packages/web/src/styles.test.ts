import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * Text that CSS adds (`content` of ::before/::after) is part of an element's accessible name in
 * browsers: a "▸" before a summary was read out ("black right-pointing small triangle, Who has
 * voted"). A drawn symbol gives its alternative text after a slash, empty when it says nothing
 * (`content: "▸" / ""`); counters and empty strings need none.
 */
const sheets = ["styles.css", "components/Combobox.css"].map((file) => ({
  file,
  css: readFileSync(new URL(file, import.meta.url), "utf8"),
}));

/** Every `content:` value that starts with a non-empty string and has no alternative text. */
function unlabelledContent(css: string): string[] {
  const found: string[] = [];
  for (const match of css.matchAll(/(?<![\w-])content:\s*([^;}]+)/g)) {
    const value = (match[1] ?? "").trim();
    const text = /^(["'])(.*?)\1/.exec(value);
    if (!text || text[2] === "") continue;
    if (!/^(["']).*?\1\s*\/\s*/.test(value)) found.push(value);
  }
  return found;
}

describe("text added by CSS", () => {
  it("would catch a symbol without alternative text (the check can fail)", () => {
    expect(unlabelledContent('a::before { content: "▸"; } b::after { content: "" } c::before { content: counter(x); }')).toEqual(['"▸"']);
    expect(unlabelledContent('a::before { content: "▸" / ""; }')).toEqual([]);
  });

  for (const { file, css } of sheets)
    it(`gives every symbol of ${file} its alternative text, so it is not read out`, () => {
      expect(unlabelledContent(css)).toEqual([]);
    });
});
