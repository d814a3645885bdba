/**
 * The driver decision of issue 8, by measurement: the same read-heavy loop through Kysely over
 * postgres.js (patched, as the app uses it) and over node-postgres (`pg` Pool, Kysely's
 * PostgresDialect), in the same run, on the same database. `pg` is not a dependency: install it
 * where Node can find it first, e.g. `npm i --prefix /tmp/drv pg@8.23.1`, then
 *   PG_MODULE=/tmp/drv/node_modules/pg/lib/index.js DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     pnpm --filter @samakki/api exec tsx bench/drivers.ts
 * DRIVER_SECONDS (default 5) per driver and round; two rounds, alternating, 20 concurrent loops.
 */
import { Kysely, PostgresDialect, sql } from "kysely";
import postgres from "postgres";
import { createDatabase } from "../src/db/client.ts";

const url = process.env.DATABASE_URL;
const pgModule = process.env.PG_MODULE;
if (!url || !pgModule) throw new Error("set DATABASE_URL and PG_MODULE (see the header of this file)");
const SECONDS = Number(process.env.DRIVER_SECONDS || 5);
const CONCURRENCY = 20;

const name = `samakki_drivers_${process.pid}`;
const admin = postgres(url, { max: 1, onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE ${name}`);
const target = new URL(url);
target.pathname = `/${name}`;

// biome-ignore lint/suspicious/noExplicitAny: a bench-only dynamic import of an optional module
const pg: any = (await import(pgModule)).default;
const setup = postgres(target.toString(), { max: 1, onnotice: () => {} });
await setup.unsafe(
  `CREATE TABLE item (id int PRIMARY KEY, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), n bigint NOT NULL)`,
);
await setup.unsafe(
  `INSERT INTO item SELECT g, 'Item number ' || g, now() - g * interval '1 minute', g * 7 FROM generate_series(1, 20000) g`,
);
await setup.end();

const postgresJs = createDatabase({ url: target.toString(), maxConnections: 10 });
const pool = new pg.Pool({ connectionString: target.toString(), max: 10, statement_timeout: 30_000, query_timeout: 32_000 });
pool.on("error", () => {}); // an idle client terminated (by the DROP below) must not crash the bench
// biome-ignore lint/suspicious/noExplicitAny: the table exists only in this bench
const nodePg = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
// biome-ignore lint/suspicious/noExplicitAny: the table exists only in this bench
const drivers: [string, Kysely<any>][] = [
  ["postgres.js 3.4.9 (patched)", postgresJs.db],
  ["pg 8 Pool", nodePg],
];

/** The same statements for both: a point read, a page of 50 rows, and a count. */
// biome-ignore lint/suspicious/noExplicitAny: see above
async function once(db: Kysely<any>, i: number) {
  await db
    .selectFrom("item")
    .selectAll()
    .where("id", "=", 1 + (i % 20000))
    .executeTakeFirst();
  await db
    .selectFrom("item")
    .select(["id", "title", "created_at", "n"])
    .where("id", ">", (i * 37) % 19000)
    .orderBy("id")
    .limit(50)
    .execute();
  await sql`select count(*) from item where id between ${i % 20000} and ${(i % 20000) + 100}`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see above
async function run(db: Kysely<any>): Promise<number> {
  let done = 0;
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, k) => {
      for (let i = k; performance.now() < deadline; i += CONCURRENCY) {
        await once(db, i);
        done++;
      }
    }),
  );
  return done / SECONDS;
}

try {
  for (const [, db] of drivers) for (let i = 0; i < 50; i++) await once(db, i); // warm-up
  const results: Record<string, number[]> = {};
  for (let round = 0; round < 4; round++) {
    for (const [label, db] of round % 2 ? [...drivers].reverse() : drivers) {
      const rates = results[label] ?? [];
      rates.push(await run(db));
      results[label] = rates;
    }
  }
  for (const [label, rates] of Object.entries(results))
    console.log(`${label.padEnd(28)} ${rates.map((r) => `${r.toFixed(0)} loops/s`).join("  ")}  (3 reads each, ${CONCURRENCY} concurrent)`);
} finally {
  await postgresJs.close();
  await nodePg.destroy();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
