import { describe, expect, it } from "vitest";
import { etag, ifMatchHolds } from "../if-match.ts";

describe("If-Match (RFC 9110 §13.1.1)", () => {
  it("holds without the header, for *, and for a list holding the current strong tag", () => {
    expect(ifMatchHolds(undefined, 3)).toBe(true);
    expect(ifMatchHolds("*", 3)).toBe(true);
    expect(ifMatchHolds(" * ", 3)).toBe(true);
    expect(ifMatchHolds('"3"', 3)).toBe(true);
    expect(ifMatchHolds(etag(12), 12)).toBe(true);
    expect(ifMatchHolds('"1", "3"', 3)).toBe(true);
    expect(ifMatchHolds('"1","2" , "3"', 3)).toBe(true);
    // The tags of a compressed answer of the revision (lib/compression.ts).
    expect(ifMatchHolds('"3-br"', 3)).toBe(true);
    expect(ifMatchHolds('"3-gzip"', 3)).toBe(true);
  });

  it("fails for another revision, a weak tag, an empty or malformed header", () => {
    expect(ifMatchHolds('"2"', 3)).toBe(false);
    expect(ifMatchHolds('"30"', 3)).toBe(false);
    expect(ifMatchHolds('W/"3"', 3)).toBe(false);
    expect(ifMatchHolds('"2-br"', 3)).toBe(false);
    expect(ifMatchHolds('"3-deflate"', 3)).toBe(false);
    expect(ifMatchHolds("", 3)).toBe(false);
    expect(ifMatchHolds("3", 3)).toBe(false);
    expect(ifMatchHolds('"3', 3)).toBe(false);
    expect(ifMatchHolds('"3" junk', 3)).toBe(false);
    expect(ifMatchHolds('"1" "3"', 3)).toBe(false);
    expect(ifMatchHolds('*, "3"', 3)).toBe(false);
  });
});
