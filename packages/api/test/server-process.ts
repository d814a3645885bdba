import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import { loadConfig } from "../src/config.ts";
import { buildChildBundle } from "./child-bundles.ts";
import { createTestDatabase } from "./db.ts";

/**
 * The real server (or a CLI) as a child process, for tests of what only a process shows: signals,
 * exit codes, locks. Started from a bundle of the sources, made with build.mjs as production's
 * `dist/` is, when this module first starts one (a fraction of a second; no build is needed
 * beforehand, and an isolated file, as in watch mode, bundles the sources as they are now). From
 * the bundle a child costs about 1.3 s less CPU than from the sources through tsx's loader.
 * Every child is killed by `killAll()`, which each test file calls in afterAll.
 */

export const API_DIR = fileURLToPath(new URL("..", import.meta.url));
/** Generous: PGlite's first start (initdb and every migration) on a busy 2-core machine. */
const START_TIMEOUT_MS = 150_000;

const children = new Set<ChildProcess>();

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<Exit>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The database a child uses: a temporary DATA_DIR (PGlite), or a database cloned from the run's template on DATABASE_URL. */
export interface ChildDatabase {
  engine: "pglite" | "postgres";
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * A migrated database for a child: a copy of the run's migrated PGlite data directory, or a database
 * cloned from the run's template on DATABASE_URL. (A first start on an empty DATA_DIR, initdb and
 * every migration, is the browser tests' foundation.e2e.test.ts.)
 */
export async function childDatabase(options: { engine?: "pglite" } = {}): Promise<ChildDatabase> {
  if (loadConfig().databaseUrl && options.engine !== "pglite") {
    const handle = await createTestDatabase();
    if (!handle.url) throw new Error("the test database has no URL");
    return { engine: "postgres", env: { DATABASE_URL: handle.url }, cleanup: () => handle.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), "samakki-proc-"));
  const dataDir = join(dir, "data");
  const template = inject("pgliteDataDir");
  if (template) cpSync(template, dataDir, { recursive: true });
  return {
    engine: "pglite",
    env: { DATA_DIR: dataDir },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What a child inherits from the test's environment: the tools, not the test's own database settings. */
// biome-ignore lint/style/noProcessEnv: a child process needs PATH and HOME; config.ts reads only its own settings.
const parentEnv = process.env;

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: "test", LOG_LEVEL: "warn", HOST: "127.0.0.1" };
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = parentEnv[key];
    if (value) env[key] = value;
  }
  return env;
}

let bundled: Promise<string> | undefined;

/** This module's bundle of the server and the CLIs (test/child-bundles.ts), made at the first start. */
function bundle(): Promise<string> {
  // A test worker's parent is the run's main process, whose global setup removes the bundle at the end.
  bundled ??= buildChildBundle(process.ppid);
  return bundled;
}

/**
 * Runs `name`'s bundle (an entry of build.mjs: "server", "migrate", "operator"…), or, when `name`
 * is a path (it has a slash), that file through tsx's loader.
 */
async function spawnEntry(
  name: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string; stdout: () => string; stderr: () => string; exited: Promise<Exit> }> {
  const command = name.includes("/") ? ["--import", "tsx", name] : [join(await bundle(), `${name}.js`)];
  const child = spawn(process.execPath, [...command, ...args], { cwd: API_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  // Both streams interleaved as they came, and each on its own (decoded as a stream: a character
  // split between two chunks stays whole).
  let log = "";
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    log += text;
    out += text;
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    log += text;
    err += text;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, output: () => log, stdout: () => out, stderr: () => err, exited };
}

/** Start the server and wait until /healthz answers. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // A path to another server (an older checkout's src/server.ts or dist/server.js), only to measure it against the same test.
  const entry = parentEnv.SAMAKKI_TEST_SERVER_ENTRY ?? "server";
  const { child, output, exited } = await spawnEntry(entry, [], { ...baseEnv(), PORT: String(port), PUBLIC_URL: url, ...env });
  let exit: Exit | undefined;
  void exited.then((value) => {
    exit = value;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exit) throw new Error(`the server exited (${JSON.stringify(exit)}) before answering:\n${output().slice(-4000)}`);
    const ok = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline)
      throw new Error(`the server did not answer /healthz within ${START_TIMEOUT_MS} ms:\n${output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (child.pid === undefined) throw new Error("the server has no PID");
  return { url, pid: child.pid, child, output, exited };
}

/** Run a CLI (an entry of build.mjs, from src/scripts) to completion. */
export async function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<Exit & { output: string; stdout: string; stderr: string }> {
  const { child, output, stdout, stderr, exited } = await spawnEntry(script, args, { ...baseEnv(), ...env });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exit = await exited;
  clearTimeout(timer);
  return { ...exit, output: output(), stdout: stdout(), stderr: stderr() };
}

/** Wait for a child's exit, killing it if it takes longer than `ms`. */
export async function exitWithin(server: ServerProcess, ms: number): Promise<Exit & { late: boolean }> {
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    server.child.kill("SIGKILL");
  }, ms);
  const exit = await server.exited;
  clearTimeout(timer);
  return { ...exit, late };
}

/** Kill every child still running (afterAll). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await gone;
    }),
  );
}
