import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/db.ts";
import type { DatabaseHandle } from "../client.ts";
import { prepared } from "../prepared.ts";

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
});
