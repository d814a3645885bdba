/**
 * The servers of `pnpm bench:request-path`, in one child process (see request-path.ts):
 *   - the real app: createApp + @hono/node-server, LOG_LEVEL info to stdout (a pipe), as in production;
 *   - a bare node:http server answering /healthz with the app's body and the same headers;
 *   - the framework's floor: a minimal Hono app on @hono/node-server answering /healthz with the same
 *     body and headers, given as a plain record (no middleware, no log line);
 *   - a bare node:http handler running, through the same database client, exactly the SQL the
 *     app runs for one authenticated read (captured from the app), answering every query's rows as
 *     one JSON array with the app's headers: the floor any framework, middleware and validation sit
 *     on. Every query's, not the last one's: a JSON body of the same order of size as the app's
 *     (the table shows both), where the last query alone gave the statement's baseline "[]" to send
 *     against the app's 4.6 KB.
 * The parent asks for process.cpuUsage() over IPC before and after each run; the runs alternate,
 * so the CPU between two readings is the server that was driven.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { CompiledQuery } from "kysely";
import postgres from "postgres";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createDatabase, type DatabaseHandle } from "../src/db/client.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { createDeps } from "../src/deps.ts";
import { createSession } from "../src/modules/auth/sessions.service.ts";
import { createServerLogger } from "./request-path-logger.ts";

const ORIGIN = "http://localhost:3000";

/**
 * Records the queries run while `recording` is set, from the database's query hook: every query,
 * those compiled once (db/prepared.ts: the session and access checks, which a Kysely plugin never
 * sees) included, so the bare handler replays all of them.
 */
const recorder = { recording: undefined as CompiledQuery[] | undefined };
const onQuery = (event: { query: CompiledQuery }) => recorder.recording?.push(event.query);

async function openDatabase(): Promise<{ handle: DatabaseHandle; engine: string; cleanup: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = createDatabase({ onQuery });
    return { handle, engine: "PGlite (in memory)", cleanup: () => handle.close() };
  }
  const name = `samakki_rpbench_${process.pid}_${Date.now()}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = createDatabase({ url: target.toString(), maxConnections: 10, onQuery });
  return {
    handle,
    engine: `PostgreSQL (${target.host})`,
    cleanup: async () => {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
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

function listen(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

/** The app's response headers, minus those node:http computes itself. */
function sameHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    if (key !== "content-length" && key !== "date" && key !== "x-request-id") out[key] = value;
  });
  return out;
}

async function main() {
  const { handle, engine, cleanup } = await openDatabase();
  await migrateToLatest(handle.db);
  const world = await seed(handle);

  const config = loadConfig({
    ...process.env,
    NODE_ENV: "production",
    PUBLIC_URL: ORIGIN,
    LOG_LEVEL: process.env.LOG_LEVEL || "info",
    WORKERS: "false",
  });
  const logger = await createServerLogger(config);
  const deps = createDeps(config, logger, handle);
  const app = createApp(deps);

  const session = await createSession(handle.db, config, world.personId, "bench");
  const cookie = `__Host-samakki_session=${session.token}`;
  const headers = { cookie, "user-agent": "bench" };

  // A statement with three versions, created through the API like a browser would.
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

  const reads = {
    list: `/api/coalitions/${world.coalitionId}/campaigns`,
    statement: `/api/coalitions/${world.coalitionId}/statements/${statementId}`,
  };
  // Warm up, then capture each read's SQL, the app's headers and the size of each side's body.
  type Captured = { queries: CompiledQuery[]; headers: Record<string, string>; bytes: { app: number; bare: number } };
  const captured: Record<string, Captured> = {};
  for (const [name, path] of Object.entries(reads)) {
    for (let i = 0; i < 3; i++) await app.request(path, { headers });
    recorder.recording = [];
    const res = await app.request(path, { headers });
    if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
    const appBytes = (await res.arrayBuffer()).byteLength;
    const queries = recorder.recording;
    recorder.recording = undefined;
    const results: unknown[][] = [];
    for (const q of queries) results.push((await handle.db.executeQuery(q)).rows);
    captured[name] = { queries, headers: sameHeaders(res), bytes: { app: appBytes, bare: Buffer.byteLength(JSON.stringify(results)) } };
  }
  const health = await app.request("/healthz");
  const healthBody = await health.text();
  const healthHeaders = sameHeaders(health);

  const serveApp = async (fetch: (request: Request) => Response | Promise<Response>) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    return (server.address() as AddressInfo).port;
  };
  const appPort = await serveApp(app.fetch);
  const minimal = new Hono().get("/healthz", () => new Response(healthBody, { headers: healthHeaders }));
  const minimalPort = await serveApp(minimal.fetch);

  const bareHealth = createServer((_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, healthHeaders);
    res.end(healthBody);
  });
  const bareReads: Record<string, number> = {};
  for (const [name, { queries, headers: h }] of Object.entries(captured)) {
    const server = createServer((_req, res) => {
      void (async () => {
        const results: unknown[][] = [];
        for (const q of queries) results.push((await handle.db.executeQuery(q)).rows);
        res.writeHead(200, h);
        res.end(JSON.stringify(results));
      })().catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
    bareReads[name] = await listen(server);
  }
  const healthPort = await listen(bareHealth);

  process.on("message", (message: { type: string }) => {
    if (message.type === "cpu") process.send?.({ type: "cpu", usage: process.cpuUsage() });
    if (message.type === "stop") void cleanup().finally(() => process.exit(0));
  });
  process.send?.({
    type: "ready",
    engine,
    cookie,
    targets: {
      healthz: { app: `http://127.0.0.1:${appPort}/healthz`, bare: `http://127.0.0.1:${healthPort}/healthz`, authenticated: false },
      "minimal Hono": {
        app: `http://127.0.0.1:${minimalPort}/healthz`,
        bare: `http://127.0.0.1:${healthPort}/healthz`,
        authenticated: false,
      },
      ...Object.fromEntries(
        Object.entries(reads).map(([name, path]) => [
          name,
          {
            app: `http://127.0.0.1:${appPort}${path}`,
            bare: `http://127.0.0.1:${bareReads[name]}${path}`,
            authenticated: true,
            queries: captured[name]?.queries.length,
            bytes: captured[name]?.bytes,
          },
        ]),
      ),
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
