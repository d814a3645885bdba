/**
 * One server process of `pnpm loadtest` (see loadtest.ts), forked with IPC. It runs:
 *   - the real app: createApp + @hono/node-server, LOG_LEVEL info to stdout (a pipe), as in
 *     production and as in request-path-server.ts;
 *   - with `bare: true` (the first instance only), bare node:http handlers, one per endpoint,
 *     doing the same database work as the app without Hono, its middleware, zod or the mappers:
 *       reads:  the exact SQL the app ran for that request (captured with a Kysely plugin, as in
 *               request-path-server.ts: session lookup, coalition access, the route's queries),
 *               replayed through the same client; every query's rows are sent, as one JSON
 *               array (the last query's alone could be "[]" where the app sends kilobytes);
 *       writes: the same functions the app calls (validateSessionToken, which reads the 2FA standing
 *               and the coalition access with the session, then the service: changeStatus +
 *               getTask, castBallot), since their values vary per request.
 *     The number of queries each side ran for one request is sent back, to show they match.
 * The parent asks for process.cpuUsage() and the number of requests handled before and after each
 * run, once the server is idle; runs are sequential, so what lies between two readings is that run.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import type { CompiledQuery } from "kysely";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createDatabase } from "../src/db/client.ts";
import { createDeps } from "../src/deps.ts";
import { findCoalitionAccess } from "../src/modules/access/access.repository.ts";
import { validateSessionToken } from "../src/modules/auth/sessions.service.ts";
import { changeStatus, getTask } from "../src/modules/tasks/tasks.service.ts";
import { castBallot } from "../src/modules/votes/votes.commands.ts";
import { createServerLogger } from "./request-path-logger.ts";

export const ORIGIN = "http://localhost:3000";
export const COOKIE = "__Host-samakki_session";

/** A request as the parent describes it (the same shape autocannon sends). */
export interface SampleRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export type WriteKind = "status" | "ballot";

export interface Init {
  type: "init";
  url: string;
  bare: boolean;
  /** Per endpoint: one request to capture the SQL of (reads) or two to compare query counts (writes: app, then bare). */
  reads: Record<string, SampleRequest>;
  writes: Record<string, { kind: WriteKind; samples: [SampleRequest, SampleRequest] }>;
}

export interface Ready {
  type: "ready";
  app: string;
  bare: Record<string, string>;
  queries: Record<string, { app: number; bare: number }>;
  /** Per write endpoint: the SQL the app ran for its sample and the bare handler did not, and the reverse. */
  differences: Record<string, { appOnly: string[]; bareOnly: string[] }>;
  /** Per endpoint: the SQL the app ran for its sample request. */
  sql: Record<string, string[]>;
}

/** The statements of `a` not matched by one of `b` (a multiset difference). */
function unmatched(a: CompiledQuery[], b: CompiledQuery[]): string[] {
  const left = b.map((q) => q.sql);
  return a
    .map((q) => q.sql)
    .filter((text) => {
      const at = left.indexOf(text);
      if (at < 0) return true;
      left.splice(at, 1);
      return false;
    });
}

/**
 * Records the queries run while `recording` is set, from the database's query hook: every query,
 * those compiled once (db/prepared.ts, which a Kysely plugin never sees) included.
 */
const recorder = { recording: undefined as CompiledQuery[] | undefined };

/**
 * Requests being handled and requests handled, app and bare alike. autocannon stops at its deadline
 * with requests still in the server; the parent waits for them (idle()) before reading the CPU, so
 * that one run's leftovers neither slow the next run nor count as its work, and CPU per request is
 * CPU over the requests handled meanwhile.
 */
const load = { inflight: 0, served: 0, waiters: [] as Array<() => void> };
async function counted<T>(work: () => Promise<T>): Promise<T> {
  load.inflight++;
  try {
    return await work();
  } finally {
    load.inflight--;
    load.served++;
    if (load.inflight === 0) for (const resolve of load.waiters.splice(0)) resolve();
  }
}
const idle = () => (load.inflight === 0 ? Promise.resolve() : new Promise<void>((resolve) => load.waiters.push(resolve)));

function listen(server: ReturnType<typeof createServer>): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** The app's response headers, minus those node:http computes itself. */
function sameHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    if (key !== "content-length" && key !== "date" && key !== "x-request-id" && key !== "set-cookie") out[key] = value;
  });
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sessionToken(cookie: string | undefined): string | undefined {
  for (const pair of (cookie ?? "").split(";")) {
    const [name, value] = pair.trim().split("=");
    if (name === COOKIE) return value;
  }
  return undefined;
}

const WRITE_PATHS: Record<WriteKind, RegExp> = {
  status: /^\/api\/coalitions\/([^/]+)\/tasks\/([^/]+)\/status$/,
  ballot: /^\/api\/coalitions\/([^/]+)\/statements\/([^/]+)\/vote\/ballots$/,
};

async function main(init: Init) {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: init.url,
    NODE_ENV: "production",
    PUBLIC_URL: ORIGIN,
    LOG_LEVEL: process.env.LOG_LEVEL || "info",
    WORKERS: "false",
  });
  const handle = createDatabase({
    url: init.url,
    maxConnections: config.database.poolSize,
    onQuery: (event) => recorder.recording?.push(event.query),
  });
  const logger = await createServerLogger(config);
  const db = handle.db;
  const deps = createDeps(config, logger, handle);
  const app = createApp(deps);
  const appRequest = (r: SampleRequest) =>
    app.request(r.path, { method: r.method, headers: r.headers, ...(r.body ? { body: r.body } : {}) });

  const appServer = serve({ fetch: (request, env) => counted(async () => app.fetch(request, env)), port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => appServer.once("listening", () => resolve()));
  const ready: Ready = {
    type: "ready",
    app: `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`,
    bare: {},
    queries: {},
    differences: {},
    sql: {},
  };

  if (init.bare) {
    for (const [name, sample] of Object.entries(init.reads)) {
      for (let i = 0; i < 3; i++) await (await appRequest(sample)).arrayBuffer();
      recorder.recording = [];
      const res = await appRequest(sample);
      // The session's "last used" touch (once a minute) is not part of every request: not replayed.
      const queries = recorder.recording.filter((q) => !q.sql.startsWith('update "session"'));
      ready.sql[name] = recorder.recording.map((q) => q.sql);
      recorder.recording = undefined;
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      const headers = sameHeaders(res);
      const server = createServer((_req: IncomingMessage, out: ServerResponse) => {
        void counted(async () => {
          const results: unknown[][] = [];
          for (const q of queries) results.push((await handle.db.executeQuery(q)).rows);
          out.writeHead(200, headers);
          out.end(JSON.stringify(results));
        }).catch((error: unknown) => {
          out.writeHead(500);
          out.end(String(error));
        });
      });
      ready.bare[name] = await listen(server);
      ready.queries[name] = { app: ready.sql[name]?.length ?? 0, bare: queries.length };
    }

    for (const [name, { kind, samples }] of Object.entries(init.writes)) {
      const [appSample, bareSample] = samples;
      recorder.recording = [];
      const res = await appRequest(appSample);
      const appQueries = recorder.recording;
      ready.sql[name] = appQueries.map((q) => q.sql);
      recorder.recording = undefined;
      if (res.status >= 300) throw new Error(`${name}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      const headers = sameHeaders(res);
      const status = res.status;
      /** What the route does, minus the framework: session, coalition access, the service call(s), JSON. */
      const work = async (path: string, cookie: string | undefined, body: string): Promise<unknown> => {
        const match = WRITE_PATHS[kind].exec(path);
        const token = sessionToken(cookie);
        if (!match?.[1] || !match[2] || !token) throw new Error(`bare ${name}: unexpected request ${path}`);
        // As the app's session middleware: the coalition's access is read with the session.
        const validated = await validateSessionToken(db, config, token, match[1]);
        if (!validated) throw new Error(`bare ${name}: no session`);
        const { twoFactor } = validated.session;
        if (twoFactor.required && !twoFactor.satisfied) throw new Error(`bare ${name}: two-factor required`);
        const access = validated.prefetched?.access ?? (await findCoalitionAccess(db, validated.person.id, match[1]));
        if (!access) throw new Error(`bare ${name}: no access`);
        const ctx = { deps, person: validated.person, access };
        const input: unknown = JSON.parse(body);
        if (kind === "status") {
          const known = await changeStatus(ctx, match[2], (input as { status: Parameters<typeof changeStatus>[2] }).status);
          return getTask(ctx, match[2], known);
        }
        return castBallot(ctx, match[2], input as Parameters<typeof castBallot>[2]);
      };
      recorder.recording = [];
      await work(bareSample.path, bareSample.headers.cookie, bareSample.body ?? "");
      ready.queries[name] = { app: appQueries.length, bare: recorder.recording.length };
      ready.differences[name] = { appOnly: unmatched(appQueries, recorder.recording), bareOnly: unmatched(recorder.recording, appQueries) };
      recorder.recording = undefined;
      const server = createServer((req: IncomingMessage, out: ServerResponse) => {
        void counted(async () => {
          const result = await work(req.url ?? "", req.headers.cookie, await readBody(req));
          out.writeHead(status, headers);
          out.end(JSON.stringify(result));
        }).catch((error: unknown) => {
          out.writeHead(500);
          out.end(String(error));
        });
      });
      ready.bare[name] = await listen(server);
    }
  }

  process.on("message", (message: { type: string }) => {
    if (message.type === "cpu") void idle().then(() => process.send?.({ type: "cpu", usage: process.cpuUsage(), served: load.served }));
    if (message.type === "stop") void handle.close().finally(() => process.exit(0));
  });
  process.send?.(ready);
}

// Only as the forked server (loadtest.ts imports this module's types and constants).
if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.once("message", (message: Init) => {
    main(message).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}
