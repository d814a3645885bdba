import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "../../../test/db.ts";
import type { DatabaseHandle } from "../client.ts";
import { prepared, preparedShapes } from "../prepared.ts";

describe("prepared queries (compiled once, run with each call's values)", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  it("builds the query once and binds each call's values, constants kept", async () => {
    let builds = 0;
    const query = prepared(["a", "b"], (db, p) => {
      builds++;
      return db
        .selectFrom(sql`(values (1))`.as("t"))
        .select([sql<string>`${p.a}::text`.as("a"), sql<string>`${p.b}::text`.as("b"), sql<string>`${"constant"}::text`.as("c")]);
    });
    expect(await query(handle.db, { a: "x", b: "y" })).toEqual([{ a: "x", b: "y", c: "constant" }]);
    // A value that looks like SQL stays a value.
    expect(await query(handle.db, { a: "'); drop table person; --", b: "ខ្មែរ" })).toEqual([
      { a: "'); drop table person; --", b: "ខ្មែរ", c: "constant" },
    ]);
    expect(builds).toBe(1);
  });

  it("refuses a parameter that the query never uses (it would silently match everything)", async () => {
    const query = prepared(["used", "forgotten"], (db, p) => db.selectFrom("person").where("id", "=", p.used).select("id"));
    await expect(query(handle.db, { used: crypto.randomUUID(), forgotten: "x" })).rejects.toThrow("forgotten");
  });

  it("refuses a parameter written into the SQL text or into a computed value (it would never be bound)", async () => {
    const raw = prepared(["table"], (db, p) => db.selectFrom(sql.raw(p.table).as("t")).select(sql.lit(1).as("one")));
    await expect(raw(handle.db, { table: "person" })).rejects.toThrow("SQL text");
    const computed = prepared(["q"], (db, p) => db.selectFrom("person").where("email", "like", `%${p.q}%`).select("id"));
    await expect(computed(handle.db, { q: "x" })).rejects.toThrow("computed value");
  });
});

describe("prepared queries of several shapes (one compilation per set of values present)", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  type Values = { limit: number; min?: number | undefined; max?: number | undefined; label?: string | undefined };
  /** 1..10, filtered by whichever bounds are given, with the label when there is one. */
  function numbers() {
    const builds: string[] = [];
    const query = preparedShapes((db, p: Values) => {
      builds.push([p.min === undefined ? "" : "min", p.max === undefined ? "" : "max", p.label === undefined ? "" : "label"].join("|"));
      let q = db.selectFrom(sql`generate_series(1, 10)`.as("n")).select(sql<number>`n`.as("n")).orderBy(sql`n`).limit(p.limit);
      if (p.min !== undefined) q = q.where(sql<boolean>`n >= ${p.min}::int`);
      if (p.max !== undefined) q = q.where(sql<boolean>`n <= ${p.max}::int`);
      if (p.label !== undefined) return q.select(sql<string>`${p.label}::text`.as("label"));
      return q;
    });
    return { query, builds };
  }

  /** Runs `fn` and returns the SQL and parameters of every query it sent. */
  async function sent(fn: () => Promise<unknown>) {
    const spy = vi.spyOn(handle.db, "executeQuery");
    try {
      await fn();
      return spy.mock.calls.map(([query]) => {
        const compiled = "compile" in query ? query.compile() : query;
        return { sql: compiled.sql, parameters: [...compiled.parameters] };
      });
    } finally {
      spy.mockRestore();
    }
  }

  it("compiles a shape once and reuses it with each call's values", async () => {
    const { query, builds } = numbers();
    expect(await query(handle.db, { limit: 3, min: 4 })).toEqual([{ n: 4 }, { n: 5 }, { n: 6 }]);
    expect(await query(handle.db, { limit: 2, min: 8 })).toEqual([{ n: 8 }, { n: 9 }]);
    // Undefined is absent: the same shape as leaving the value out.
    expect(await query(handle.db, { limit: 1, min: 9, max: undefined })).toEqual([{ n: 9 }]);
    expect(builds).toEqual(["min||"]);
    expect(await query(handle.db, { limit: 10, min: 3, max: 5 })).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }]);
    expect(await query(handle.db, { limit: 10, max: 2 })).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await query(handle.db, { limit: 10, max: 6, min: 6 })).toEqual([{ n: 6 }]);
    expect(builds).toEqual(["min||", "min|max|", "|max|"]);
  });

  it("gives each shape its own SQL, the values only as parameters", async () => {
    const { query } = numbers();
    const label = "'); drop table person; --";
    const [bare, bounded, labelled] = await sent(async () => {
      await query(handle.db, { limit: 9 });
      await query(handle.db, { limit: 9, min: 4, max: 6 });
      expect(await query(handle.db, { limit: 1, label })).toEqual([{ n: 1, label }]);
    });
    const texts = [bare, bounded, labelled].map((q) => q?.sql);
    expect(new Set(texts).size).toBe(3);
    expect(bounded?.parameters).toEqual(expect.arrayContaining([9, 4, 6]));
    expect(labelled?.parameters).toEqual(expect.arrayContaining([1, label]));
    for (const text of texts) {
      expect(text).not.toContain("drop table");
      expect(text).not.toMatch(/\b[469]\b/);
      expect(text).not.toContain("prepared:");
    }
  });

  it("refuses a present value that does not reach the SQL, in any shape", async () => {
    const query = preparedShapes((db, p: { id: string; email?: string | undefined }) =>
      db.selectFrom("person").where("id", "=", p.id).select("id"),
    );
    expect(await query(handle.db, { id: crypto.randomUUID() })).toEqual([]);
    await expect(query(handle.db, { id: crypto.randomUUID(), email: "someone@example.org" })).rejects.toThrow("email");
  });
});
