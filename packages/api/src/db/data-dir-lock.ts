import * as fs from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import lockfile from "proper-lockfile";
import { z } from "zod";

/**
 * One process at a time per embedded (PGlite) database. PGlite has no postmaster to arbitrate:
 * two processes on one DATA_DIR overwrite each other's pages and corrupt it silently, so every
 * process that opens DATA_DIR (the server and each CLI) takes this lock first and keeps it until
 * it exits.
 *
 * The lock is the directory `DATA_DIR/samakki.lock`, created atomically by proper-lockfile, which
 * refreshes its mtime while held. `samakki.lock.json` beside it says who holds it (PID, host, role, and on
 * Linux the process start time, so a PID reused by another program is not mistaken for the holder).
 * Staleness:
 * - holder on this host: its process decides. Alive: the lock is held, however old its mtime (an
 *   event loop blocked by a long migration must not lose it). Dead, or this very PID (a restarted
 *   container): taken over at once.
 * - holder on another host (a shared volume), or unknown: taken over once its mtime has not been
 *   refreshed for `staleMs`.
 * A holder whose lock was taken over anyway (its mtime no longer its own) is told through
 * `onCompromised` and must stop at once.
 */

export const LOCK_DIR_NAME = "samakki.lock";
/** Beside the lock, not in it: a file written into the lock would change the mtime proper-lockfile watches. */
const OWNER_FILE = "samakki.lock.json";
/** Long enough that an event loop blocked by a heavy query never loses the lock. */
const DEFAULT_STALE_MS = 60_000;
const DEFAULT_UPDATE_MS = 10_000;
/** sysexits EX_TEMPFAIL: the data directory is busy; try again once its holder has stopped. */
export const LOCKED_EXIT_CODE = 75;

const LockOwner = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  /** What holds it: "server", "migrate", "demo"… (never the command line: it may carry a password). */
  role: z.string(),
  startedAt: z.string(),
  /** Linux: field 22 of /proc/<pid>/stat, the process start time in clock ticks since boot. */
  processStart: z.string().optional(),
});
type LockOwner = z.infer<typeof LockOwner>;

interface DataDirLock {
  /** The absolute data directory. */
  readonly dir: string;
  release(): Promise<void>;
}

interface LockDataDirOptions {
  role: string;
  /** Called when another process took the lock over; the holder must stop using the directory. */
  onCompromised?: (error: Error) => void;
  staleMs?: number;
  updateMs?: number;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner | undefined,
  ) {
    const who = owner
      ? `process ${owner.pid} (samakki ${owner.role}, started ${owner.startedAt}${owner.host === hostname() ? "" : ` on host ${owner.host}`})`
      : "another process (it has not recorded its PID yet)";
    super(
      `The data directory ${dir} is in use by ${who}.\n` +
        "Only one process at a time may open an embedded database: a second one would corrupt it.\n" +
        `Stop that process first (stop the Samakki server, then run this command again), or use another DATA_DIR (e.g. DATA_DIR=./data-demo).\n` +
        `(The lock, ${join(dir, LOCK_DIR_NAME)}, is taken over at once when its holder on this host has died, and ${Math.round(DEFAULT_STALE_MS / 1000)} s after its last refresh when it is held from another host.)`,
    );
    this.name = "DataDirLockedError";
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

function readOwner(dir: string): LockOwner | undefined {
  try {
    const parsed = LockOwner.safeParse(JSON.parse(fs.readFileSync(join(dir, OWNER_FILE), "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // No owner yet (being created) or unreadable: unknown holder.
    return undefined;
  }
}

/** Whether a process with this PID exists on this host (EPERM: it exists, under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
  // Killed but not yet collected by its parent (a zombie, for a second or more under an init that is
  // slow to reap): signals still reach it, yet it holds nothing. A restart right after `kill -9` was
  // refused for that second.
  return processState(pid) !== "Z";
}

/** Linux: the fields of `/proc/<pid>/stat` after the command's name (state first); elsewhere undefined. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count from the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Linux: a process's state letter (R, S, Z…); elsewhere undefined. */
export const processState = (pid: number): string | undefined => statFields(pid)?.[0];

/** Linux: the start time of a process (stable for its life, different for a reused PID); elsewhere undefined. */
export const processStartTime = (pid: number): string | undefined => statFields(pid)?.[19];

/** Held by this process, per absolute directory: a second lock from the same process is a bug. */
const held = new Set<string>();

/** On this host: whether the recorded holder is still running. Undefined when it cannot be told (another host, no owner). */
function holderAlive(owner: LockOwner | undefined): boolean | undefined {
  if (!owner || owner.host !== hostname()) return undefined;
  if (owner.pid === process.pid || !processAlive(owner.pid)) return false;
  const start = processStartTime(owner.pid);
  return !(owner.processStart && start && start !== owner.processStart);
}

/** Take the lock on `dataDir` (created if missing), or throw DataDirLockedError at once. */
export async function lockDataDir(dataDir: string, options: LockDataDirOptions): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  if (held.has(dir)) throw new Error(`${dir} is already locked by this process`);
  fs.mkdirSync(dir, { recursive: true });
  const lockDir = join(dir, LOCK_DIR_NAME);
  const ownerFile = join(dir, OWNER_FILE);
  let forget: (() => void) | undefined;
  const lockOptions = {
    lockfilePath: lockDir,
    stale: options.staleMs ?? DEFAULT_STALE_MS,
    update: options.updateMs ?? DEFAULT_UPDATE_MS,
    retries: 0,
    realpath: false,
    onCompromised: (error: Error) => {
      held.delete(dir);
      // The owner record is now the new holder's: leave it.
      if (forget) process.removeListener("exit", forget);
      (options.onCompromised ?? defaultCompromised(dir))(error);
    },
  };

  // A live holder on this host keeps its lock even when its mtime is old (proper-lockfile alone would take it).
  // (The owner record counts only while the lock exists: a holder killed with -9 leaves both behind.)
  const current = fs.existsSync(lockDir) ? readOwner(dir) : undefined;
  if (holderAlive(current)) throw new DataDirLockedError(dir, current);

  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, lockOptions);
  } catch (error) {
    if (errorCode(error) !== "ELOCKED") throw error;
    const owner = readOwner(dir);
    if (holderAlive(owner) !== false) throw new DataDirLockedError(dir, owner);
    // Its holder died without releasing it (kill -9, power cut): take it over.
    fs.rmSync(lockDir, { recursive: true, force: true });
    try {
      release = await lockfile.lock(dir, lockOptions);
    } catch (again) {
      if (errorCode(again) === "ELOCKED") throw new DataDirLockedError(dir, readOwner(dir));
      throw again;
    }
  }
  held.add(dir);
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    role: options.role,
    startedAt: new Date().toISOString(),
    processStart: processStartTime(process.pid),
  };
  fs.writeFileSync(ownerFile, `${JSON.stringify(owner)}\n`);
  // proper-lockfile removes the lock itself on exit; the owner record goes with it.
  const removeOwner = () => fs.rmSync(ownerFile, { force: true });
  forget = removeOwner;
  process.once("exit", removeOwner);

  let released = false;
  return {
    dir,
    release: async () => {
      if (released) return;
      released = true;
      held.delete(dir);
      process.removeListener("exit", removeOwner);
      removeOwner();
      try {
        await release();
      } catch (error) {
        // Already gone (compromised or released): nothing of ours left to remove.
        if (errorCode(error) !== "ERELEASED") throw error;
      }
    },
  };
}

function defaultCompromised(dir: string) {
  return (error: Error) => {
    // Another process now believes it owns the directory: writing on would corrupt it.
    console.error(`Lost the lock on ${dir} (${error.message}); stopping at once so as not to corrupt the database.`);
    process.exit(1);
  };
}

/** The lock for the configured database: PGlite's DATA_DIR, or nothing with PostgreSQL (it locks for itself). */
async function lockEmbeddedDatabase(
  config: { databaseUrl: string | undefined; dataDir: string },
  options: LockDataDirOptions,
): Promise<DataDirLock | undefined> {
  if (config.databaseUrl) return undefined;
  return lockDataDir(config.dataDir, options);
}

/** For entry points: take the lock, or explain who holds it and exit with LOCKED_EXIT_CODE. */
export async function lockEmbeddedDatabaseOrExit(
  config: { databaseUrl: string | undefined; dataDir: string },
  role: string,
): Promise<DataDirLock | undefined> {
  try {
    return await lockEmbeddedDatabase(config, { role });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(LOCKED_EXIT_CODE);
    }
    throw error;
  }
}
