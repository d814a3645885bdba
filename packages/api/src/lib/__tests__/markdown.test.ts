import { describe, expect, it } from "vitest";
import { markdownCacheSize, renderMarkdown } from "../markdown.ts";

describe("renderMarkdown cache", () => {
  it("answers a text rendered before from the cache, with the same sanitised HTML", () => {
    const source = `**Bold** <script>alert(1)</script> [link](https://example.org) ${Math.random()}`;
    const before = markdownCacheSize();
    const first = renderMarkdown(source);
    expect(markdownCacheSize()).toBe(before + 1);
    expect(first).toContain("<strong>Bold</strong>");
    expect(first).not.toContain("<script");
    expect(first).toContain('rel="noopener noreferrer nofollow"');
    const second = renderMarkdown(source);
    expect(second).toBe(first);
    expect(markdownCacheSize()).toBe(before + 1);
  });

  it("renders different texts differently (the cache is keyed by the whole text)", () => {
    expect(renderMarkdown("one *a*")).toBe("<p>one <em>a</em></p>\n");
    expect(renderMarkdown("one *b*")).toBe("<p>one <em>b</em></p>\n");
  });

  it("stays bounded: a flood of distinct texts evicts the oldest", () => {
    const big = "x".repeat(100_000);
    for (let i = 0; i < 100; i++) renderMarkdown(`${i} ${big}`);
    // 4,000,000 characters at most, each entry holds the text and its HTML (~200,000).
    expect(markdownCacheSize()).toBeLessThanOrEqual(40);
  });
});
