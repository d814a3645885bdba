import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { buildTestApp, TestClient } from "../../../test/app.ts";
import { createPerson } from "../../../test/factories/index.ts";
import { createApp } from "../../app.ts";
import { createLogger, createServerLogger, LineBatches, REDACT_PATHS, writeRequestLine } from "../logger.ts";

function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const logger = createLogger("info", stream);
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const SECRETS = {
  cookie: "__Host-samakki_session=abcdefghijklmnopqrstuvwxyz234567",
  token: "tokentokentokentokentokentoken22",
  password: "my secret passphrase 1",
  authorization: "Bearer sk_live_supersecretkey",
  hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
};

describe("logger", () => {
  it("writes one JSON object per line; user input cannot forge a line", () => {
    const { logger, lines, parsed } = memoryLogger();
    logger.info({ path: '/x\n{"level":50,"msg":"forged"}' }, "request");
    expect(lines.length).toBe(1);
    expect(parsed()[0]).toMatchObject({ msg: "request", level: 30 });
  });

  it("writes the request line as pino writes the same fields, whatever the path holds", () => {
    const paths = ["/healthz", '/x\n{"level":50,"msg":"forged"}', '/a"b\\c', "/\u0000\u001f\u2028\u2029", "/ខ្មែរ/é"];
    for (const level of ["info", "warn", "error"] as const) {
      for (const path of paths) {
        const fields = { requestId: "r-12345678", method: "GET", path, status: level === "error" ? 500 : 200, ms: 3 };
        const ours = memoryLogger();
        const pinos = memoryLogger();
        writeRequestLine(ours.logger, level, fields);
        pinos.logger[level](fields, "request");
        expect(ours.lines, path).toHaveLength(1);
        // The same JSON, key for key, apart from the clock.
        const strip = (line: string) => line.replace(/"time":\d+/, '"time":0');
        expect(strip(ours.lines[0] ?? ""), path).toBe(strip(pinos.lines[0] ?? ""));
      }
    }
    // A lone surrogate, which pino writes raw (and UTF-8 turns into U+FFFD), is escaped: the line keeps it.
    const odd = memoryLogger();
    writeRequestLine(odd.logger, "info", { requestId: "r-12345678", method: "GET", path: "/a\ud800b", status: 200, ms: 1 });
    expect(odd.parsed()[0]?.path).toBe("/a\ud800b");
  });

  it("writes no request line under the logger's level, and leaves a logger with a mixin or a level-routing stream to pino", () => {
    const quiet = memoryLogger();
    quiet.logger.level = "warn";
    writeRequestLine(quiet.logger, "info", { requestId: "r-12345678", method: "GET", path: "/", status: 200, ms: 1 });
    expect(quiet.lines).toHaveLength(0);

    const lines: string[] = [];
    const traced = createLogger("info", { write: (line: string) => void lines.push(line) }, () => ({ traceId: "t-1" }));
    writeRequestLine(traced, "info", { requestId: "r-12345678", method: "GET", path: "/", status: 200, ms: 1 });
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ traceId: "t-1", msg: "request", path: "/" });

    // A stream that routes by level (pino.multistream) gets its line from pino, with the level beside it.
    const warnings: string[] = [];
    const routed = createLogger(
      "info",
      pino.multistream([
        { level: "warn", stream: { write: (line: string) => void warnings.push(line) } },
        { level: "info", stream: { write: () => {} } },
      ]),
    );
    writeRequestLine(routed, "info", { requestId: "r-12345678", method: "GET", path: "/", status: 200, ms: 1 });
    writeRequestLine(routed, "warn", { requestId: "r-12345678", method: "GET", path: "/slow", status: 200, ms: 9000 });
    expect(warnings.map((line) => JSON.parse(line).path)).toEqual(["/slow"]);
  });

  it("redacts cookies, authorization headers, passwords and tokens wherever they appear", () => {
    const { logger, lines } = memoryLogger();
    logger.info(
      {
        req: { headers: { cookie: SECRETS.cookie, authorization: SECRETS.authorization } },
        res: { headers: { "set-cookie": SECRETS.cookie } },
      },
      "request",
    );
    logger.info({ headers: { cookie: SECRETS.cookie, authorization: SECRETS.authorization, "set-cookie": SECRETS.cookie } }, "raw headers");
    logger.info({ password: SECRETS.password, token: SECRETS.token, cookie: SECRETS.cookie }, "top level");
    logger.info(
      { body: { password: SECRETS.password, currentPassword: SECRETS.password, newPassword: SECRETS.password, token: SECRETS.token } },
      "one level down",
    );
    logger.info({ req: { body: { password: SECRETS.password, token: SECRETS.token } } }, "two levels down");
    logger.info({ person: { passwordHash: SECRETS.hash, password_hash: SECRETS.hash }, session: { token: SECRETS.token } }, "rows");
    logger.child({ token: SECRETS.token }).info("child bindings");
    expect(lines.length).toBe(7);
    const all = lines.join("\n");
    for (const [name, secret] of Object.entries(SECRETS)) expect(all, name).not.toContain(secret);
    expect(all).not.toContain("abcdefghijklmnopqrstuvwxyz234567");
    expect(all).toContain("[redacted]");
  });

  it("in development at a terminal, writes readable lines (pino-pretty), still redacted", async () => {
    let text = "";
    const output = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
    const logger = await createServerLogger("info", { pretty: true, output });
    logger.info({ password: "hunter2-secret", route: "/api/auth/sign-in" }, "request");
    expect(text).toContain("INFO");
    expect(text).toContain("request");
    expect(text).toContain("/api/auth/sign-in");
    expect(text).not.toContain("hunter2-secret");
    expect(() => JSON.parse(text.split("\n")[0] ?? "")).toThrow();
  });

  it("keeps what is not secret", () => {
    const { logger, parsed } = memoryLogger();
    logger.info({ requestId: "r-12345678", method: "POST", path: "/api/auth/sign-in", status: 401 }, "request");
    expect(parsed()[0]).toMatchObject({ requestId: "r-12345678", method: "POST", path: "/api/auth/sign-in", status: 401 });
  });

  it("the app's own logs of sign-in, reset and failing requests hold no password, token or cookie", async () => {
    const ctx = await buildTestApp();
    const { logger, lines, parsed } = memoryLogger();
    const app = createApp({ ...ctx.deps, logger });
    const person = await createPerson(ctx);
    const client = new TestClient(app);
    expect((await client.post("/api/auth/sign-in", { email: person.email, password: person.password })).status).toBe(200);
    const token = client.cookie?.split("=")[1] ?? "";
    expect(token.length).toBeGreaterThan(20);
    await client.post("/api/auth/sign-in", { email: person.email, password: "a wrong password" });
    await client.post("/api/auth/password-reset/confirm", { token: "tokentokentokentokentoken", password: "a fresh long passphrase" });
    await client.request("PATCH", "/api/me", "{ broken json");
    await client.get("/api/me", { authorization: "Bearer sk_live_supersecretkey" });
    const all = lines.join("\n");
    expect(parsed().filter((l) => l.msg === "request").length).toBeGreaterThanOrEqual(5);
    for (const secret of [
      person.password,
      "a wrong password",
      token,
      "tokentokentokentokentoken",
      "a fresh long passphrase",
      "sk_live_supersecretkey",
    ])
      expect(all).not.toContain(secret);
  });

  it("redacts the secrets an error can carry: query parameters, request headers", () => {
    const { logger, lines } = memoryLogger();
    const dbError = Object.assign(new Error("duplicate key"), { parameters: [SECRETS.hash, SECRETS.token], args: [SECRETS.token] });
    logger.error({ err: dbError, sql: "update person set password_hash = $1" }, "query failed");
    const httpError = Object.assign(new Error("401 from the email provider"), {
      headers: { authorization: SECRETS.authorization },
      request: { headers: { authorization: SECRETS.authorization, "x-api-key": SECRETS.token } },
    });
    logger.warn({ err: httpError, outboxId: "o-1" }, "email delivery failed");
    const all = lines.join("\n");
    for (const [name, secret] of Object.entries(SECRETS)) expect(all, name).not.toContain(secret);
    expect(all).toContain("duplicate key");
    expect(all).toContain("update person set password_hash = $1");
  });

  it("every log call in src logs only known-safe fields or fields redacted here (a new shape must add its paths)", () => {
    // Top-level keys whose values never hold a secret, and those the logger redacts below.
    const SAFE = new Set([
      "requestId",
      "method",
      "path",
      "status",
      "ms",
      "failingSince",
      "applied",
      "engine",
      "listen",
      "url",
      "signal",
      "inFlight",
      "timeoutMs",
      "destroyed",
      "outboxId",
      "attempts",
      "outcome",
      "sql",
      "durationMs",
      "job",
      "unset",
      "coalitionId",
      // lib/response-check.ts (tests and development only): the route's pattern, and zod's issues
      // (paths and messages, which name no value).
      "route",
      "issues",
    ]);
    const redactedRoots = new Set(REDACT_PATHS.map((path) => path.split(/[.[]/)[0]));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) {
          if (name !== "__tests__") walk(full);
        } else if (/\.tsx?$/.test(name)) files.push(full);
      }
    };
    const srcDir = join(import.meta.dirname, "..", "..");
    walk(srcDir);
    const calls: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      // logger.info({ … }, "…"), log?.warn({ … }), requestLog(c)?.error({ … }), logger[level]({ … })
      // …and writeRequestLine(logger, level, { … }), the request line (logger.ts).
      for (const match of text.matchAll(
        /\b(?:(?:logger|log|requestLog\(c\))\??(?:\.(?:fatal|error|warn|info|debug|trace)|\[\w+\])\(|writeRequestLine\([^,()]*,[^,()]*,)\s*\{([^}]*)\}/g,
      )) {
        const body = match[1] ?? "";
        for (const entry of body.split(",")) {
          const key = entry.split(":")[0]?.trim();
          if (!key) continue;
          calls.push(`${file.slice(srcDir.length)}: ${key}`);
          expect(SAFE.has(key) || redactedRoots.has(key), `${file.slice(srcDir.length)} logs "${key}"`).toBe(true);
        }
      }
    }
    // The scan finds the app's log calls (the request line, errors, jobs, the outbox).
    expect(calls.length).toBeGreaterThan(15);
    expect(calls.some((c) => c.endsWith(": requestId"))).toBe(true);
  });

  it("logs the route's pattern, not the token, for a request to a single-use link", async () => {
    const ctx = await buildTestApp();
    const { logger, lines, parsed } = memoryLogger();
    const app = createApp({ ...ctx.deps, logger });
    const token = "invitetokeninvitetokeninvitetoken42";
    await new TestClient(app).get(`/api/invitations/${token}`);
    await new TestClient(app).post(`/api/invitations/${token}/accept`, { password: "a long enough passphrase" });
    // The web app's page the invitation email links to (the catch-all route answers it), and the
    // public links' addresses answered by no token route (another method, a part after the token).
    await new TestClient(app).get(`/invitations/${token}`);
    await new TestClient(app).get(`/signups/cancel/${token}/more`);
    await new TestClient(app).request("PUT", `/petitions/withdraw/${token}`);
    expect(lines.join("\n")).not.toContain(token);
    const paths = parsed()
      .filter((l) => l.msg === "request")
      .map((l) => l.path);
    expect(paths).toEqual([
      "/api/invitations/:token",
      "/api/invitations/:token/accept",
      "/invitations/:token",
      "/signups/cancel/:token/more",
      "/petitions/withdraw/:token",
    ]);
  });

  it("samples fast successful requests (LOG_SAMPLE_RATE), never errors nor slow requests (LOG_SLOW_MS)", async () => {
    const ctx = await buildTestApp();
    const sampled = memoryLogger();
    const none = createApp({
      ...ctx.deps,
      config: { ...ctx.config, requestLog: { sampleRate: 0, slowMs: 60_000 } },
      logger: sampled.logger,
    });
    const client = new TestClient(none);
    for (let i = 0; i < 5; i++) expect((await client.get("/healthz")).status).toBe(200);
    expect((await client.get("/api/me")).status).toBe(401);
    expect((await client.get("/api/nothing-here")).status).toBe(404);
    expect(sampled.parsed().map((l) => [l.msg, l.status, l.level])).toEqual([
      ["request", 401, 30],
      ["request", 404, 30],
    ]);

    const slow = memoryLogger();
    const everySlow = createApp({ ...ctx.deps, config: { ...ctx.config, requestLog: { sampleRate: 0, slowMs: 0 } }, logger: slow.logger });
    expect((await new TestClient(everySlow).get("/healthz")).status).toBe(200);
    expect(slow.parsed()).toMatchObject([{ msg: "request", status: 200, level: 40, path: "/healthz" }]);

    const all = memoryLogger();
    const allApp = createApp({ ...ctx.deps, config: { ...ctx.config, requestLog: { sampleRate: 1, slowMs: 60_000 } }, logger: all.logger });
    for (let i = 0; i < 3; i++) await new TestClient(allApp).get("/healthz");
    expect(all.parsed().filter((l) => l.msg === "request" && l.status === 200 && typeof l.requestId === "string")).toHaveLength(3);
  });
});

/** What LineBatches hands on: a stand-in for sonic-boom that records each call. */
function recordingDestination() {
  const calls: string[] = [];
  const out = {
    destroyed: false,
    write: (text: string) => void calls.push(`write:${text}`),
    flush: (done?: () => void) => {
      calls.push("flush");
      done?.();
    },
    flushSync: () => void calls.push("flushSync"),
  };
  return { calls, out: out as unknown as ConstructorParameters<typeof LineBatches>[0], raw: out };
}

describe("the server's lines, gathered into batches (LineBatches)", () => {
  it("holds lines until a batch's size, then hands them on in one write, in the order they came", () => {
    const { calls, out } = recordingDestination();
    const batches = new LineBatches(out, 30);
    batches.write("one 123456\n");
    batches.write("two 123456\n");
    expect(calls).toEqual([]);
    batches.write("three 1234\n");
    expect(calls).toEqual(["write:one 123456\ntwo 123456\nthree 1234\n"]);
    batches.write("four\n");
    expect(calls).toHaveLength(1);
  });

  it("keeps the order of pino's own lines and the request lines, which both pass through it", () => {
    const { calls, out } = recordingDestination();
    const batches = new LineBatches(out, 1 << 20);
    const logger = createLogger("info", batches);
    logger.info("first");
    writeRequestLine(logger, "info", { requestId: "r-12345678", method: "GET", path: "/second", status: 200, ms: 1 });
    logger.warn("third");
    batches.flushSync();
    expect(calls).toHaveLength(2);
    const lines = (calls[0] ?? "")
      .replace(/^write:/, "")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => (line.msg === "request" ? line.path : line.msg))).toEqual(["first", "/second", "third"]);
    expect(calls[1]).toBe("flushSync");
  });

  it("hands on what it holds when pino's logger.flush() asks, and calls back", () => {
    const { calls, out } = recordingDestination();
    const logger = createLogger("info", new LineBatches(out, 1 << 20));
    logger.info("listening");
    let called = false;
    logger.flush(() => {
      called = true;
    });
    expect(calls.map((call) => call.replace(/\{.*\}\n$/, "{…}"))).toEqual(["write:{…}", "flush"]);
    expect(called).toBe(true);
  });

  it("at exit writes what it holds, and does not write to a destination already closed", () => {
    const { calls, out, raw } = recordingDestination();
    const batches = new LineBatches(out, 1 << 20);
    batches.write("last\n");
    batches.flushSync();
    expect(calls).toEqual(["write:last\n", "flushSync"]);
    raw.destroyed = true;
    batches.flushSync();
    expect(calls).toHaveLength(2);
  });
});
