import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { type AuditContent, canonicalJson, chainHash } from "../audit.hash.ts";
import { recordAudit, verifyAuditChain } from "../audit.service.ts";

/**
 * Canonical JSON and the audit hash chain. The chain is only as good as canonicalJson: two equal
 * contents must hash the same whatever their key order, and any change must change the hash. On
 * the database, any event of any content must verify, and altering any field of any event (or
 * removing one) must break the chain at that event.
 */

/** JSON values as the database can store them in jsonb (no NUL character). */
const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v).replaceAll("\\u0000", "")) as unknown);

/** The same value with every object's keys inserted in another order. */
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reorder(v, seed + i));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const rotated = entries.map((_, i) => entries[(i + seed) % entries.length] as [string, unknown]).reverse();
  return Object.fromEntries(rotated.map(([k, v]) => [k, reorder(v, seed + 1)]));
}

/** JSON's own notion of a value: what survives a JSON round trip. */
const normal = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

const content = fc.record<AuditContent>({
  coalitionId: fc.option(fc.uuid(), { nil: null }),
  actorId: fc.option(fc.uuid(), { nil: null }),
  action: fc.stringMatching(/^[a-z][a-z_.]{0,30}$/),
  targetType: fc.stringMatching(/^[a-z_]{1,20}$/),
  targetId: fc.option(fc.uuid(), { nil: null }),
  before: json,
  after: json,
  createdAt: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => new Date(ms).toISOString()),
});

describe("canonical JSON (properties)", () => {
  it("does not depend on key order, at any depth", () => {
    fc.assert(
      fc.property(json, fc.nat(20), (value, seed) => {
        expect(canonicalJson(reorder(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it("is JSON that parses back to the same value, with keys sorted", () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(normal(value));
        // Sorted keys means a second pass changes nothing.
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it("gives different text for different values (so different contents hash differently)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(json, json),
          json.map((v) => [v, normal(v)] as const),
        ),
        ([a, b]) => {
          expect(canonicalJson(a) === canonicalJson(b)).toBe(isDeepStrictEqual(normal(a), normal(b)));
        },
      ),
    );
  });

  it("drops undefined object members as JSON.stringify does, and writes dates as ISO strings", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.option(json, { nil: undefined })), fc.date({ noInvalidDate: true }), (dict, date) => {
        expect(JSON.parse(canonicalJson(dict))).toEqual(normal(dict));
        expect(canonicalJson({ at: date })).toBe(JSON.stringify({ at: date.toISOString() }));
      }),
    );
  });
});

describe("audit hash chain (properties)", () => {
  it("changes an event's hash when any field of its content or the previous hash changes", () => {
    const field = fc.constantFrom<keyof AuditContent>(
      "coalitionId",
      "actorId",
      "action",
      "targetType",
      "targetId",
      "before",
      "after",
      "createdAt",
    );
    fc.assert(
      fc.property(content, field, fc.string({ minLength: 1, maxLength: 8 }), fc.stringMatching(/^[0-9a-f]{64}$/), (c, key, noise, prev) => {
        const original = chainHash(prev, c);
        const altered = { ...c, [key]: key === "before" || key === "after" ? { was: c[key], noise } : `${String(c[key])}${noise}` };
        expect(chainHash(prev, altered)).not.toBe(original);
        expect(chainHash(`${prev.slice(0, 63)}${prev[63] === "0" ? "1" : "0"}`, c)).not.toBe(original);
        // Same content with its keys in another order: same hash.
        expect(chainHash(prev, reorder(c, noise.length) as AuditContent)).toBe(original);
      }),
    );
  });

  describe("on the database", () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await buildTestApp();
    });

    it("verifies any recorded content; altering any field of any event, or removing one, breaks the chain there", async () => {
      const alteration = fc.constantFrom(
        "action",
        "target_type",
        "target_id",
        "before",
        "after",
        "created_at",
        "hash",
        "prev_hash",
        "delete",
      );
      await fc.assert(
        fc.asyncProperty(fc.array(content, { minLength: 1, maxLength: 4 }), fc.nat(), alteration, async (events, pick, change) => {
          for (const e of events)
            await recordAudit(ctx.db, {
              coalitionId: null,
              actorId: null,
              action: e.action,
              targetType: e.targetType,
              targetId: e.targetId,
              before: e.before,
              after: e.after,
            });
          const intact = await verifyAuditChain(ctx.db);
          expect(intact.ok, JSON.stringify(intact)).toBe(true);

          const ids = await ctx.db.selectFrom("audit_event").select(sql<string>`id::text`.as("id")).orderBy("audit_event.id").execute();
          const target = ids[ids.length - events.length + (pick % events.length)]?.id ?? "";
          const targetIndex = ids.findIndex((r) => r.id === target);
          const rollback = new Error("rollback");
          const result = await ctx.db
            .transaction()
            .execute(async (trx) => {
              await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(trx);
              const where = sql`WHERE id = ${target}::bigint`;
              if (change === "delete") await sql`DELETE FROM audit_event ${where}`.execute(trx);
              else if (change === "created_at")
                await sql`UPDATE audit_event SET created_at = created_at + interval '1 millisecond' ${where}`.execute(trx);
              else if (change === "before" || change === "after")
                await sql`UPDATE audit_event SET ${sql.id(change)} = jsonb_build_object('altered', ${sql.id(change)}) ${where}`.execute(
                  trx,
                );
              else if (change === "target_id") await sql`UPDATE audit_event SET target_id = ${crypto.randomUUID()} ${where}`.execute(trx);
              else await sql`UPDATE audit_event SET ${sql.id(change)} = ${sql.id(change)} || 'x' ${where}`.execute(trx);
              const broken = await verifyAuditChain(trx);
              throw Object.assign(rollback, { broken });
            })
            .catch((error: unknown) => {
              if (error !== rollback) throw error;
              return (error as Error & { broken: Awaited<ReturnType<typeof verifyAuditChain>> }).broken;
            });
          expect(result.ok, `${change} of event ${target}`).toBe(false);
          if (result.ok) return;
          // Removing an event breaks the link of the one after it (or the head, for the last one).
          const expected = change === "delete" ? (ids[targetIndex + 1]?.id ?? ids[targetIndex - 1]?.id ?? "0") : target;
          expect(result.brokenEventId, `${change} of event ${target}: ${result.reason}`).toBe(expected);
          expect(result.checked).toBe(targetIndex);
          // The rollback left the chain intact.
          expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
        }),
        { numRuns: 20 },
      );
    });
  });
});
