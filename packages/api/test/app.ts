import type { LogEvent } from "kysely";
import { z } from "zod";
import { createApp } from "../src/app.ts";
import { type Config, loadConfig } from "../src/config.ts";
import type { DatabaseHandle } from "../src/db/client.ts";
import type { AppDeps } from "../src/lib/context.ts";
import { createLogger } from "../src/lib/logger.ts";
import { errorPage } from "../src/modules/public-site/error-page.tsx";
import { createTestDatabase } from "./db.ts";
import { testHasher } from "./passwords.ts";

export const ORIGIN = "http://localhost:3000";

/**
 * The queries sent to the test file's database, from its query hook (db/client.ts onQuery): every
 * query, built per request or compiled once (db/prepared.ts, which a Kysely plugin never sees),
 * in a transaction or not. The test's own queries through `ctx.db` count too: read it around app
 * requests only.
 */
export class QueryCounter {
  count = 0;
  /** While an array, the SQL text (without its parameters) of every query sent is appended to it. */
  statements: string[] | null = null;
  readonly record = (event: LogEvent): void => {
    this.count++;
    this.statements?.push(event.query.sql);
  };
}

export interface TestContext {
  /** Queries sent so far (reset with `queries.count = 0`): lists make a bounded number of them. */
  queries: QueryCounter;
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  db: AppDeps["db"];
  handle: DatabaseHandle;
  config: Config;
  /** A client with no session. */
  anonymous(): TestClient;
}

/** Build the real app over this file's own database; test/setup.ts closes it after the file. */
export async function buildTestApp(overrides: Partial<Config> = {}): Promise<TestContext> {
  const queries = new QueryCounter();
  const handle = await createTestDatabase({ onQuery: queries.record });
  const base = loadConfig({ NODE_ENV: "test", PUBLIC_URL: ORIGIN, LOG_LEVEL: "silent" });
  const config: Config = { ...base, ...overrides };
  const deps: AppDeps = {
    config,
    db: handle.db,
    logger: createLogger("silent"),
    passwords: testHasher,
    devMailbox: !config.email.resendApiKey,
    errorPage,
    ping: () => handle.ping(),
  };
  const app = createApp(deps);
  return { app, deps, db: handle.db, handle, config, queries, anonymous: () => new TestClient(app) };
}

export interface TestResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
  /**
   * The body parsed with a response schema from `@samakki/shared` (e.g. `res.json(Statement)`,
   * `res.json(Problem)`): typed by the schema rather than asserted with `as`, and a body that does
   * not match fails the test with zod's issues and the body. Keys the schema does not declare
   * already fail in the app (lib/response-check.ts).
   */
  json<S extends z.ZodType>(schema: S): z.output<S>;
}

function parseBody<S extends z.ZodType>(schema: S, status: number, body: unknown, text: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`the ${status} response does not match the schema:\n${z.prettifyError(parsed.error)}\n${text}`);
  return parsed.data;
}

/** Talks to the app in-process, like a browser on our origin: keeps its session cookie, sends Origin and JSON. */
export class TestClient {
  cookie: string | undefined;
  language: string | undefined;

  constructor(
    private readonly app: TestContext["app"],
    cookie?: string,
  ) {
    this.cookie = cookie;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<TestResponse<T>> {
    const unsafe = method !== "GET" && method !== "HEAD";
    const res = await this.app.request(path, {
      method,
      headers: {
        ...(unsafe ? { origin: ORIGIN, "content-type": "application/json" } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.language ? { "accept-language": this.language } : {}),
        "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : unsafe ? { body: "{}" } : {}),
    });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie?.includes("samakki_session=")) {
      const value = setCookie.split(";")[0] ?? "";
      this.cookie = value.endsWith("=") ? undefined : value;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    const json = <S extends z.ZodType>(schema: S) => parseBody(schema, res.status, parsed, text);
    return { status: res.status, headers: res.headers, body: parsed as T, text, json };
  }

  get<T = unknown>(path: string, headers?: Record<string, string>) {
    return this.request<T>("GET", path, undefined, headers);
  }
  post<T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>("POST", path, body, headers);
  }
  patch<T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>("PATCH", path, body, headers);
  }
  delete<T = unknown>(path: string, headers?: Record<string, string>) {
    return this.request<T>("DELETE", path, undefined, headers);
  }
}
