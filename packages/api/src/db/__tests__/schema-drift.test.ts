import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/db.ts";
import type { Executor } from "../../lib/transaction.ts";
import type { DatabaseHandle } from "../client.ts";
import { MIGRATED_SCHEMA } from "./migrated-schema.ts";

/*
 * Schema drift: the tables the migrations build against the Kysely table types the code is written
 * with (db/tables, combined in db/schema.ts). The type-check ties migrated-schema.ts to db/tables
 * (see there); this test ties it to the database, on PGlite and on PostgreSQL. A column a migration
 * adds without db/tables (or the other way round), a nullability or a data type that differs, or a
 * Generated<…> column without a default fails one or the other.
 * kysely-codegen could not do this here: it introspects through the `pg` driver and a connection
 * string, which the embedded PGlite test databases do not have.
 */

type ColumnRow = {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: string;
  has_default: boolean;
};

/** Every column of every base table of the schema, as "<data type>[ null][ default]", by table. */
async function migratedSchema(db: Executor): Promise<Record<string, Record<string, string>>> {
  const { rows } = await sql<ColumnRow>`
    SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.udt_name::text, c.is_nullable::text,
      (c.column_default IS NOT NULL OR c.is_identity = 'YES' OR c.is_generated = 'ALWAYS') AS has_default
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      AND c.table_name NOT LIKE 'kysely\\_migration%'
    ORDER BY c.table_name, c.ordinal_position`.execute(db);
  const schema: Record<string, Record<string, string>> = {};
  for (const r of rows) {
    // An array column reports "ARRAY"; its element type is the udt name without the leading "_".
    const type = r.data_type === "ARRAY" ? `${r.udt_name.replace(/^_/, "")}[]` : r.data_type;
    const spec = `${type}${r.is_nullable === "YES" ? " null" : ""}${r.has_default ? " default" : ""}`;
    schema[r.table_name] ??= {};
    (schema[r.table_name] as Record<string, string>)[r.column_name] = spec;
  }
  return schema;
}

class Rollback extends Error {}

describe("schema drift: the migrations and the Kysely table types", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  it("have the same tables and columns, with the same data types, nullability and defaults", async () => {
    const schema = await migratedSchema(handle.db);
    expect(Object.keys(schema).sort()).toEqual(Object.keys(MIGRATED_SCHEMA).sort());
    expect(schema).toEqual(MIGRATED_SCHEMA);
  });

  it("notices a column a migration adds that the table types lack, and a changed nullability", async () => {
    // DDL is transactional in PostgreSQL: the changes are rolled back, this file's database stays as migrated.
    const seen = await handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`ALTER TABLE person ADD COLUMN drift_test_probe text`.execute(trx);
        await sql`ALTER TABLE session ALTER COLUMN user_agent DROP NOT NULL`.execute(trx);
        throw new Rollback(JSON.stringify(await migratedSchema(trx)));
      })
      .catch((error: unknown) => {
        if (error instanceof Rollback) return JSON.parse(error.message) as Record<string, Record<string, string>>;
        throw error;
      });
    expect(seen.person?.drift_test_probe).toBe("text null");
    expect(seen.session?.user_agent).toBe("text null default");
    expect(seen).not.toEqual(MIGRATED_SCHEMA);
    expect(await migratedSchema(handle.db)).toEqual(MIGRATED_SCHEMA);
  });
});
