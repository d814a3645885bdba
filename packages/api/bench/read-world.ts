/**
 * The world the request-path benchmarks read (bench:request-path over the network, bench:request-cost
 * in memory): a scratch database with one coalition, five organisations, twenty campaigns and a
 * statement of three versions, a coordinator's session, and for each authenticated read the exact
 * SQL the app runs for it, captured from the database's query hook. A bare handler replays that SQL
 * through the same database client and answers every query's rows as one JSON array: the floor any
 * framework, middleware and validation sit on. Every query's, not the last one's: a JSON body of the
 * same order of size as the app's (both sizes are reported), where the last query alone gave the
 * statement's baseline "[]" to send against the app's 4.6 KB.
 */
import type { CompiledQuery } from "kysely";
import postgres from "postgres";
import type { createApp } from "../src/app.ts";
import { type Config, loadConfig } from "../src/config.ts";
import { createDatabase, type DatabaseHandle } from "../src/db/client.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { createSession } from "../src/modules/auth/sessions.service.ts";

export const ORIGIN = "http://localhost:3000";

/** The app's configuration as in production (the request log at LOG_LEVEL, info by default), without the workers. */
export function benchConfig(): Config {
  return loadConfig({
    ...process.env,
    NODE_ENV: "production",
    PUBLIC_URL: ORIGIN,
    LOG_LEVEL: process.env.LOG_LEVEL || "info",
    WORKERS: "false",
  });
}

/**
 * Records the queries run while `recording` is set, from the database's query hook: every query,
 * those compiled once (db/prepared.ts: the session and access checks, which a Kysely plugin never
 * sees) included, so the bare handler replays all of them.
 */
const recorder = { recording: undefined as CompiledQuery[] | undefined };
const onQuery = (event: { query: CompiledQuery }) => recorder.recording?.push(event.query);

export type Scratch = { handle: DatabaseHandle; engine: string; cleanup: () => Promise<void> };

/** A migrated scratch database: a fresh one on DATABASE_URL's server, dropped by cleanup, or PGlite in memory. */
export async function openScratchDatabase(maxConnections: number): Promise<Scratch> {
  const url = process.env.DATABASE_URL;
  let scratch: Scratch;
  if (!url) {
    const handle = createDatabase({ onQuery });
    scratch = { handle, engine: "PGlite (in memory)", cleanup: () => handle.close() };
  } else {
    const name = `samakki_rpbench_${process.pid}_${Date.now()}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const handle = createDatabase({ url: target.toString(), maxConnections, onQuery });
    scratch = {
      handle,
      engine: `PostgreSQL (${target.host})`,
      cleanup: async () => {
        await handle.close();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  await migrateToLatest(scratch.handle.db);
  return scratch;
}

async function seed(handle: DatabaseHandle) {
  const db = handle.db;
  const coalition = await db
    .insertInto("coalition")
    .values({ name: "Bench Coalition", slug: "bench" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const orgs = await db
    .insertInto("organisation")
    .values(
      Array.from({ length: 5 }, (_, i) => ({
        name: `Organisation ${i + 1}`,
        short_name: `O${i + 1}`,
        contact_email: `o${i + 1}@bench.example.org`,
      })),
    )
    .returning("id")
    .execute();
  await db
    .insertInto("coalition_member")
    .values(orgs.map((o) => ({ coalition_id: coalition.id, organisation_id: o.id, status: "active" as const })))
    .execute();
  const person = await db
    .insertInto("person")
    .values({ email: "coordinator@bench.example.org", display_name: "Coordinator", password_hash: "x", email_verified_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  const [org] = orgs;
  if (!org) throw new Error("seed: no organisation");
  await db
    .insertInto("membership")
    .values({ organisation_id: org.id, person_id: person.id, role: "admin", representative: true })
    .execute();
  await db.insertInto("coordinator").values({ coalition_id: coalition.id, person_id: person.id }).execute();
  const campaigns = await db
    .insertInto("campaign")
    .values(
      Array.from({ length: 20 }, (_, i) => ({
        coalition_id: coalition.id,
        title: `Campaign ${i + 1}`,
        slug: `campaign-${i + 1}`,
        summary: `Summary of campaign ${i + 1}`,
        status: "active" as const,
      })),
    )
    .returning("id")
    .execute();
  await db
    .insertInto("campaign_organisation")
    .values(campaigns.map((c) => ({ campaign_id: c.id, organisation_id: org.id, role: "owner" as const })))
    .execute();
  return { coalitionId: coalition.id, personId: person.id };
}

/** The app's response headers, minus those node:http computes itself and the request id. */
export function sameHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    if (key !== "content-length" && key !== "date" && key !== "x-request-id") out[key] = value;
  });
  return out;
}

export type Read = {
  path: string;
  queries: CompiledQuery[];
  /** The rows each query returned when captured, in order. */
  results: unknown[][];
  /** The app's headers for this read, for the bare handler to send. */
  headers: Record<string, string>;
  bytes: { app: number; bare: number };
};

async function run(handle: DatabaseHandle, queries: readonly CompiledQuery[]): Promise<unknown[][]> {
  const results: unknown[][] = [];
  for (const q of queries) results.push((await handle.db.executeQuery(q)).rows);
  return results;
}

/** Runs the read's captured SQL through the same client: the bare handler's whole work but writing. */
export async function bareBody(handle: DatabaseHandle, queries: readonly CompiledQuery[]): Promise<string> {
  return JSON.stringify(await run(handle, queries));
}

/**
 * Seeds the world, makes the coordinator's session and a statement of three versions (through the
 * API, as a browser would), then warms each read up and captures its SQL, each query's rows, the
 * headers and both bodies' sizes.
 */
export async function prepareReads(
  handle: DatabaseHandle,
  config: Config,
  app: ReturnType<typeof createApp>,
): Promise<{ cookie: string; reads: Record<"list" | "statement", Read> }> {
  const world = await seed(handle);
  const session = await createSession(handle.db, config, world.personId, "bench");
  const cookie = `__Host-samakki_session=${session.token}`;
  const headers = { cookie, "user-agent": "bench" };

  const post = (path: string, body: unknown) =>
    app.request(path, {
      method: "POST",
      headers: { ...headers, origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const paragraph = "The coalition calls on the authorities to respect the right of association. ".repeat(20);
  const created = await post(`/api/coalitions/${world.coalitionId}/statements`, {
    title: "Joint statement",
    bodyEn: paragraph,
    bodyKm: "",
  });
  if (created.status !== 201) throw new Error(`statement: ${created.status} ${await created.text()}`);
  const statementId = ((await created.json()) as { id: string }).id;
  for (let v = 2; v <= 3; v++) {
    const saved = await post(`/api/coalitions/${world.coalitionId}/statements/${statementId}/versions`, {
      title: `Joint statement v${v}`,
      bodyEn: `${paragraph}\n\nAmendment ${v}.`,
      bodyKm: "",
    });
    if (saved.status !== 201) throw new Error(`version: ${saved.status} ${await saved.text()}`);
  }

  const paths = {
    list: `/api/coalitions/${world.coalitionId}/campaigns`,
    statement: `/api/coalitions/${world.coalitionId}/statements/${statementId}`,
  };
  const reads = {} as Record<"list" | "statement", Read>;
  for (const [name, path] of Object.entries(paths) as Array<[keyof typeof paths, string]>) {
    for (let i = 0; i < 3; i++) await app.request(path, { headers });
    recorder.recording = [];
    const res = await app.request(path, { headers });
    const queries = recorder.recording;
    recorder.recording = undefined;
    if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
    const appBytes = (await res.arrayBuffer()).byteLength;
    const results = await run(handle, queries);
    const bytes = { app: appBytes, bare: Buffer.byteLength(JSON.stringify(results)) };
    reads[name] = { path, queries, results, headers: sameHeaders(res), bytes };
  }
  return { cookie, reads };
}
