import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { inject } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createDatabase, type DatabaseHandle, type DatabaseOptions, PGLITE_OPTIONS } from "../src/db/client.ts";

/**
 * Every handle from createTestDatabase() or trackDatabase() not closed yet. test/setup.ts closes them
 * after each test file: a hook registered while another hook or a test runs (buildTestApp() in a
 * beforeAll) never runs, and a worker that runs file after file (--no-isolate) would keep them open.
 */
const openHandles = new Set<DatabaseHandle>();

/** The handle, closed once however often `close()` is called, and by test/setup.ts after the file at the latest. */
export function trackDatabase(handle: DatabaseHandle): DatabaseHandle {
  let closing: Promise<void> | undefined;
  const tracked: DatabaseHandle = {
    ...handle,
    close: () => {
      openHandles.delete(tracked);
      closing ??= handle.close();
      return closing;
    },
  };
  openHandles.add(tracked);
  return tracked;
}

/** Close every tracked handle still open (test/setup.ts, after each file); resolves to how many there were. */
export async function closeOpenDatabases(): Promise<number> {
  const handles = [...openHandles];
  const results = await Promise.allSettled(handles.map((handle) => handle.close()));
  const errors = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
  if (errors.length) throw new AggregateError(errors, "closing the databases a test file left open failed");
  return handles.length;
}

/**
 * A migrated database of this test file's own: a copy of the run's PGlite template, or a new
 * PostgreSQL database cloned from the run's template when DATABASE_URL is set. Tests inside a
 * file isolate themselves further by creating their own coalition through the factories.
 */
export async function createTestDatabase(options: { onQuery?: DatabaseOptions["onQuery"] } = {}): Promise<DatabaseHandle> {
  const config = loadConfig();
  const template = inject("pgTemplate");
  if (config.databaseUrl && template) {
    // Named after the run's template, so the run's teardown finds any a test file left behind.
    const name = `${template.replace(/^samakki_tpl_/, "samakki_t_")}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = postgres(config.databaseUrl, { max: 1, onnotice: () => {} });
    const pooler = inject("pgPooler");
    try {
      await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      if (pooler) {
        // Behind a transaction pooler the client sends no timeouts: the database carries them.
        const ms = config.database.statementTimeoutMs;
        await admin.unsafe(`ALTER DATABASE ${name} SET statement_timeout = ${ms}`);
        await admin.unsafe(`ALTER DATABASE ${name} SET idle_in_transaction_session_timeout = ${ms}`);
      }
    } catch (error) {
      await admin.end();
      throw error;
    }
    const url = new URL(pooler || config.databaseUrl);
    url.pathname = `/${name}`;
    const handle = createDatabase({ url: url.toString(), maxConnections: 10, transactionPooler: Boolean(pooler), ...options });
    return trackDatabase({
      ...handle,
      close: async () => {
        try {
          await handle.close();
          await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await admin.end();
        }
      },
    });
  }
  const pglite = new PGlite({ loadDataDir: new DumpBlob(templateDump()), ...PGLITE_OPTIONS });
  return trackDatabase(createDatabase({ pglite, ...options }));
}

let dumpBytes: Uint8Array | undefined;
/** The run's migrated database (test/global-setup.ts), read once per worker. */
function templateDump(): Uint8Array {
  dumpBytes ??= readFileSync(inject("pgliteDump"));
  return dumpBytes;
}

/**
 * The dump as PGlite reads a `loadDataDir`: it calls arrayBuffer() and untars the result. Node's
 * own Blob gives its bytes through a stream that copies them piece by piece and joins them (half a
 * second of CPU for 28 MB); this one hands over one copy of bytes already in memory.
 */
class DumpBlob extends Blob {
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    super([]);
    this.#bytes = bytes;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes.slice().buffer);
  }
}
