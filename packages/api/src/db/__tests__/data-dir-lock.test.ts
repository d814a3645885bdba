import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { childDatabase, exitWithin, killAll, runCli, startServer } from "../../../test/server-process.ts";
import { loadConfig } from "../../config.ts";
import { DataDirLockedError, LOCK_DIR_NAME, LOCKED_EXIT_CODE, lockDataDir, processStartTime, processState } from "../data-dir-lock.ts";

/** One process per embedded database (issue 8, item 3). */

const root = mkdtempSync(join(tmpdir(), "samakki-lock-"));
let dirs = 0;
const freshDir = () => join(root, `d${++dirs}`);

afterAll(async () => {
  await killAll();
  rmSync(root, { recursive: true, force: true });
});

/** Leave a lock as another process would have: the lock directory and its owner record. */
function plantLock(dir: string, owner: Record<string, unknown>, ageMs = 0) {
  mkdirSync(join(dir, LOCK_DIR_NAME), { recursive: true });
  writeFileSync(
    join(dir, "samakki.lock.json"),
    JSON.stringify({ host: hostname(), role: "server", startedAt: new Date().toISOString(), ...owner }),
  );
  const when = new Date(Date.now() - ageMs);
  utimesSync(join(dir, LOCK_DIR_NAME), when, when);
}

function ownerOf(dir: string): { pid: number; role: string } {
  return JSON.parse(readFileSync(join(dir, "samakki.lock.json"), "utf8"));
}

/** The PID of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  if (!child.pid) throw new Error("no pid");
  return child.pid;
}

describe("the data directory lock", () => {
  it("is taken with the holder's PID and role, and release frees it", async () => {
    const dir = freshDir();
    const lock = await lockDataDir(dir, { role: "migrate" });
    expect(existsSync(join(dir, LOCK_DIR_NAME))).toBe(true);
    expect(ownerOf(dir)).toMatchObject({ pid: process.pid, role: "migrate" });
    await lock.release();
    expect(existsSync(join(dir, LOCK_DIR_NAME))).toBe(false);
    expect(existsSync(join(dir, "samakki.lock.json"))).toBe(false);
    const again = await lockDataDir(dir, { role: "migrate" });
    await again.release();
  });

  it("refuses at once while its holder on this host lives, naming it and what to do, however old its mtime", async () => {
    const dir = freshDir();
    const holder = process.ppid;
    plantLock(dir, { pid: holder, processStart: processStartTime(holder) }, 3_600_000);
    const refused = await lockDataDir(dir, { role: "demo" }).catch((error: unknown) => error);
    if (!(refused instanceof DataDirLockedError)) throw new Error(`expected a refusal, got ${String(refused)}`);
    const message = refused.message;
    expect(message).toContain(`process ${holder} (samakki server`);
    expect(message).toContain("stop the Samakki server");
    expect(message).toContain("another DATA_DIR");
    // Nothing of the holder's was touched.
    expect(ownerOf(dir).pid).toBe(holder);
  });

  it("takes over a lock whose holder died (kill -9, power cut)", async () => {
    const dir = freshDir();
    plantLock(dir, { pid: deadPid() });
    const lock = await lockDataDir(dir, { role: "server" });
    expect(ownerOf(dir).pid).toBe(process.pid);
    await lock.release();
  });

  // Killed, but its parent has not collected it yet: signals still reach a zombie (process.kill(pid, 0)
  // succeeds), and a restart right after `kill -9` was refused for a second (outside audit).
  it.runIf(process.platform === "linux")("takes over a lock whose holder died and is not yet collected (a zombie)", async () => {
    // The shell starts a child that exits at once, then becomes `sleep`, which never collects it.
    const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 60"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once("data", (chunk) => resolve(String(chunk).trim()))));
      await vi.waitFor(() => expect(processState(zombie)).toBe("Z"), { timeout: 10_000, interval: 20 });
      const dir = freshDir();
      plantLock(dir, { pid: zombie, processStart: processStartTime(zombie) });
      const lock = await lockDataDir(dir, { role: "server" });
      expect(ownerOf(dir).pid).toBe(process.pid);
      await lock.release();
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("takes over a lock whose PID now belongs to another program (its start time differs)", async () => {
    const dir = freshDir();
    plantLock(dir, { pid: process.ppid, processStart: "1" });
    const lock = await lockDataDir(dir, { role: "server" });
    expect(ownerOf(dir).pid).toBe(process.pid);
    await lock.release();
  });

  it("holds a lock from another host while it is refreshed, and takes it over once stale", async () => {
    const dir = freshDir();
    plantLock(dir, { pid: 1, host: "another-host" });
    await expect(lockDataDir(dir, { role: "server", staleMs: 5_000 })).rejects.toThrow(
      /process 1 \(samakki server, .* on host another-host\)/,
    );
    plantLock(dir, { pid: 1, host: "another-host" }, 3_600_000);
    const lock = await lockDataDir(dir, { role: "server", staleMs: 5_000 });
    expect(ownerOf(dir).pid).toBe(process.pid);
    await lock.release();
  });

  it("tells its holder when another process took it over anyway", async () => {
    const dir = freshDir();
    const onCompromised = vi.fn();
    const lock = await lockDataDir(dir, { role: "server", staleMs: 2_000, updateMs: 1_000, onCompromised });
    // Someone removed it and locked again (say, from another host after a network partition).
    // proper-lockfile checks the mtime, then refreshes it: a takeover that lands between the two has
    // its fresh lock refreshed by the old holder, who cannot tell (the taker would, at its own next
    // refresh). So the taker here, like a real one, tries again until the holder has noticed.
    for (let attempt = 1; attempt <= 5 && onCompromised.mock.calls.length === 0; attempt++) {
      rmSync(join(dir, LOCK_DIR_NAME), { recursive: true });
      mkdirSync(join(dir, LOCK_DIR_NAME));
      await vi.waitFor(() => expect(onCompromised).toHaveBeenCalled(), { timeout: 5_000, interval: 100 }).catch(() => undefined);
    }
    expect(onCompromised).toHaveBeenCalledWith(expect.objectContaining({ code: "ECOMPROMISED" }));
    await lock.release();
  }, 40_000);
});

// The embedded engine's concern: on the PostgreSQL run the same processes would take no lock, so run it once.
describe.runIf(!loadConfig().databaseUrl)("a second process on the data directory of a running server", () => {
  it("is refused at once (exit code, message naming the server), and the data stays intact", async () => {
    const database = await childDatabase({ engine: "pglite" });
    try {
      const server = await startServer(database.env);
      const setup = await fetch(`${server.url}/api/setup`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({
          coalitionName: "Lock Test Coalition",
          timeZone: "Asia/Phnom_Penh",
          organisationName: "Lock Test Organisation",
          displayName: "Lock Tester",
          email: "lock-tester@example.org",
          password: "a long and unusual passphrase 42",
        }),
      });
      expect(setup.status).toBe(201);

      for (const script of ["demo", "migrate", "setup"]) {
        const cli = await runCli(script, [], database.env);
        expect({ script, code: cli.code }).toEqual({ script, code: LOCKED_EXIT_CODE });
        expect(cli.output).toContain(`is in use by process ${server.pid} (samakki server`);
        expect(cli.output).toContain("stop the Samakki server");
        expect(cli.output).toContain("another DATA_DIR");
      }

      // The server still answers, setup is still done, and its account still signs in.
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${server.url}/api/setup`)).json()).toEqual({ needed: false });
      const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({ email: "lock-tester@example.org", password: "a long and unusual passphrase 42" }),
      });
      expect(signIn.status).toBe(200);

      // Stopped, it releases the lock: the CLI now runs, and the audit chain is whole.
      server.child.kill("SIGTERM");
      expect(await exitWithin(server, 60_000)).toMatchObject({ code: 0, late: false });
      expect(existsSync(join(database.env.DATA_DIR ?? "", LOCK_DIR_NAME))).toBe(false);
      const verify = await runCli("audit-verify", [], database.env);
      expect(verify.code).toBe(0);
      expect(verify.output).toContain("Audit chains intact");

      // A server killed with -9 leaves its lock behind: the next process takes it over.
      const killed = await startServer(database.env);
      killed.child.kill("SIGKILL");
      await killed.exited;
      expect(existsSync(join(database.env.DATA_DIR ?? "", LOCK_DIR_NAME))).toBe(true);
      const migrate = await runCli("migrate", [], database.env);
      expect(migrate.output).toContain("Already up to date");
      expect(migrate.code).toBe(0);
    } finally {
      await killAll();
      await database.cleanup();
    }
  }, 400_000);
});
