import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../cursor.ts";

/** Keyset cursors: every cursor we hand out decodes to what we encoded; anything else is "from the start", never a throw. */

/** Millisecond timestamps from year 0 to 9999 (what toISOString writes as four-digit years). */
const at = fc.integer({ min: Date.UTC(0, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }).map((ms) => new Date(ms));
const id = fc.uuid();

describe("cursor codec (properties)", () => {
  it("decode(encode(at, id)) gives back the same instant and id", () => {
    fc.assert(
      fc.property(at, id, (date, uuid) => {
        const decoded = decodeCursor(encodeCursor(date, uuid));
        expect(decoded?.at.getTime()).toBe(date.getTime());
        expect(decoded?.id).toBe(uuid);
      }),
    );
  });

  it("encodes to URL-safe text with no padding, and different positions to different cursors", () => {
    fc.assert(
      fc.property(at, id, at, id, (d1, u1, d2, u2) => {
        const c1 = encodeCursor(d1, u1);
        expect(c1).toMatch(/^[A-Za-z0-9_-]+$/);
        if (d1.getTime() !== d2.getTime() || u1 !== u2) expect(encodeCursor(d2, u2)).not.toBe(c1);
      }),
    );
  });

  it("never throws on arbitrary input, and anything it accepts has a valid date and a uuid-shaped id", () => {
    const anyCursor = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.base64String(),
      // Well-formed envelopes around arbitrary parts.
      fc.tuple(fc.string(), fc.string()).map(([a, b]) => Buffer.from(`${a}|${b}`).toString("base64url")),
      fc.tuple(at, fc.string()).map(([d, s]) => Buffer.from(`${d.toISOString()}|${s}`).toString("base64url")),
    );
    fc.assert(
      fc.property(anyCursor, (cursor) => {
        const decoded = decodeCursor(cursor);
        if (decoded === undefined) return;
        expect(Number.isNaN(decoded.at.getTime())).toBe(false);
        expect(decoded.id).toMatch(/^[0-9a-f-]{36}$/);
      }),
    );
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor("")).toBeUndefined();
  });

  it("refuses a cursor whose id is not a lowercase uuid (so it cannot carry SQL or another shape into a query)", () => {
    fc.assert(
      fc.property(
        at,
        fc.string().filter((s) => !/^[0-9a-f-]{36}$/.test(s)),
        (date, notId) => {
          expect(decodeCursor(Buffer.from(`${date.toISOString()}|${notId}`).toString("base64url"))).toBeUndefined();
        },
      ),
    );
  });
});
