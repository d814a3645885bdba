import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Cursor, decodeCursor, encodeCursor } from "../cursor.ts";

/** Keyset cursors: every cursor we hand out decodes to what we encoded; anything else is refused (a 400 at the edge), never a throw. */

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
    expect(decodeCursor("")).toBeUndefined();
  });

  it("refuses anything but the exact text it writes: padding, other instants' spellings, extra parts, an upper-case id", () => {
    const id = "0a0b0c0d-1111-4222-8333-444455556666";
    const good = encodeCursor(new Date(Date.UTC(2026, 10, 30, 12, 0, 0, 5)), id);
    const wrap = (text: string) => Buffer.from(text).toString("base64url");
    expect(decodeCursor(good)).toEqual({ at: new Date(Date.UTC(2026, 10, 30, 12, 0, 0, 5)), id });
    for (const bad of [
      `${good}=`,
      `${good}!`,
      wrap(`2026-11-30T12:00:00Z|${id}`),
      wrap(`2026-11-30T12:00:00.005+00:00|${id}`),
      wrap(`2026-02-30T12:00:00.000Z|${id}`),
      wrap(`2026-11-30T12:00:00.005Z|${id}|x`),
      wrap(`2026-11-30T12:00:00.005Z|${id.toUpperCase()}`),
      // Instants JavaScript writes but the database refuses (a 500 once): year 0 and extended years.
      wrap(`0000-01-01T00:00:00.000Z|${id}`),
      wrap(`+275760-09-13T00:00:00.000Z|${id}`),
      wrap(`+010000-01-01T00:00:00.000Z|${id}`),
      wrap(`-000001-01-01T00:00:00.000Z|${id}`),
      wrap(`-271821-04-20T00:00:00.000Z|${id}`),
      wrap("garbage"),
      "garbage",
    ])
      expect(decodeCursor(bad), bad).toBeUndefined();
  });

  it("the Cursor query schema decodes what we issued and refuses anything else with a field error, never a throw", () => {
    fc.assert(
      fc.property(at, id, (date, uuid) => {
        expect(Cursor.parse(encodeCursor(date, uuid))).toEqual({ at: date, id: uuid });
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const parsed = Cursor.safeParse(text);
        expect(parsed.success).toBe(decodeCursor(text) !== undefined && text.length <= 200);
        if (!parsed.success) expect(parsed.error.issues[0]?.path).toEqual([]);
      }),
    );
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
