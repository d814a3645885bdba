import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { here } from "./kustomize.ts";

/**
 * infra/backup/pg-dump-nightly.sh, run for real (`--now`) against the test server: a complete
 * custom-format dump appears, and only dumps older than BACKUP_KEEP_DAYS are deleted.
 * Needs PostgreSQL and pg_dump: on the PostgreSQL run of `pnpm test` only.
 */

// biome-ignore lint/style/noProcessEnv: a test of a shell script outside the app reads the run's database URL and PATH.
const parentEnv = process.env;
const databaseUrl = parentEnv.DATABASE_URL;
const hasPgDump = spawnSync("pg_dump", ["--version"]).status === 0;
const script = join(here, "../backup/pg-dump-nightly.sh");
const dir = mkdtempSync(join(tmpdir(), "samakki-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plant(name: string, ageDays: number) {
  const file = join(dir, name);
  writeFileSync(file, "old");
  const when = new Date(Date.now() - ageDays * 86_400_000);
  utimesSync(file, when, when);
}

describe.runIf(Boolean(databaseUrl) && hasPgDump)("the nightly backup script", () => {
  it("writes a custom-format dump and deletes only those past the retention", () => {
    const url = new URL(databaseUrl ?? "");
    plant("samakki-2000-01-01T0230Z.dump", 20);
    // Past 14 days by half a day: deleted (whole-day counting kept it a day longer).
    plant("samakki-2000-01-02T0230Z.dump", 14.5);
    plant("samakki-2000-01-03T0230Z.dump", 13.9);
    plant("samakki-2000-01-10T0230Z.dump", 3);
    // Left by a run killed mid-dump two days ago: deleted.
    plant("samakki-2000-01-08T0230Z.dump.partial", 2);
    plant("notes.txt", 40);
    const run = spawnSync("bash", [script, "--now"], {
      encoding: "utf8",
      env: {
        PATH: parentEnv.PATH,
        PGHOST: url.hostname,
        PGPORT: url.port || "5432",
        PGUSER: decodeURIComponent(url.username),
        PGPASSWORD: decodeURIComponent(url.password),
        PGDATABASE: url.pathname.slice(1) || "postgres",
        BACKUP_DIR: dir,
        BACKUP_KEEP_DAYS: "14",
      },
    });
    expect(run.status, run.stderr).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toContain("samakki-2000-01-10T0230Z.dump");
    expect(files).toContain("samakki-2000-01-03T0230Z.dump");
    expect(files).toContain("notes.txt");
    expect(files).not.toContain("samakki-2000-01-01T0230Z.dump");
    expect(files).not.toContain("samakki-2000-01-02T0230Z.dump");
    const fresh = files.filter((f) => /^samakki-\d{4}-\d\d-\d\dT\d{4}Z\.dump$/.test(f) && !f.startsWith("samakki-2000"));
    expect(fresh).toHaveLength(1);
    expect(files.some((f) => f.endsWith(".partial"))).toBe(false);
    // pg_dump's custom format starts with "PGDMP".
    expect(
      readFileSync(join(dir, fresh[0] ?? ""))
        .subarray(0, 5)
        .toString(),
    ).toBe("PGDMP");
    // Readable by its owner only.
    expect(statSync(join(dir, fresh[0] ?? "")).mode & 0o077).toBe(0);
  });

  it("waiting for the next run, stops at once on SIGTERM (docker compose stop), with exit code 0", async () => {
    const child = spawn("bash", [script], { env: { PATH: parentEnv.PATH, BACKUP_DIR: dir, BACKUP_AT: "02:30" } });
    let output = "";
    const waiting = new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("next run at")) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await waiting;
    child.kill("SIGTERM");
    // Without the trap and the waited-for sleep, bash would run the trap only after the sleep (hours): the test would time out.
    expect(await exited).toBe(0);
    expect(output).toContain("backup: stopped");
  });
});
