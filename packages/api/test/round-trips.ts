import type { DatabaseConnection, Dialect, DialectAdapter, Driver } from "kysely";
import { createApp } from "../src/app.ts";
import { createDatabase } from "../src/db/client.ts";
import type { TestContext } from "./app.ts";

/**
 * How many database round trips a request waits for one after the other: its depth, not its
 * count. Queries sent together (`Promise.all`) are one round trip of waiting; a query sent after
 * another's answer is one more. Counted where Kysely asks its driver for a connection (once per
 * query outside a transaction) and gives it back, so it reads the code's order, not the clock, the
 * same on PGlite and on PostgreSQL. A transaction counts as one, whatever it holds: for reads.
 */
export class RoundTrips {
  /** The depth of the deepest round trip answered since the last reset. */
  depth = 0;
  reset(): void {
    this.depth = 0;
  }

  readonly wrap = (inner: Dialect): Dialect => {
    const adapter = inner.createAdapter();
    // PGlite has one connection, and Kysely makes queries wait for it before they reach the driver,
    // where they could no longer be told apart from queries sent one after the other. The wait moves
    // into the driver below, after the query is counted as sent.
    const oneAtATime = !adapter.supportsMultipleConnections;
    return {
      createAdapter: () => (oneAtATime ? manyConnections(adapter) : adapter),
      createIntrospector: (db) => inner.createIntrospector(db),
      createQueryCompiler: () => inner.createQueryCompiler(),
      createDriver: () => this.#watch(inner.createDriver(), oneAtATime),
    };
  };

  #watch(driver: Driver, oneAtATime: boolean): Driver {
    const acquire = driver.acquireConnection.bind(driver);
    const release = driver.releaseConnection.bind(driver);
    const depthOf = new Map<DatabaseConnection, number>();
    // PGlite's one connection, taken in turn.
    let busy = false;
    const waiting: (() => void)[] = [];
    driver.acquireConnection = async (options) => {
      // Sent now: one deeper than the deepest answer already received.
      const depth = this.depth + 1;
      if (oneAtATime) {
        if (busy) await new Promise<void>((resolve) => waiting.push(resolve));
        busy = true;
      }
      const connection = await acquire(options);
      depthOf.set(connection, depth);
      return connection;
    };
    driver.releaseConnection = async (connection, options) => {
      // An answer takes at least a turn of the event loop, as a real round trip does; PGlite's comes
      // within the same turn (its WebAssembly runs on this thread).
      await new Promise((resolve) => setImmediate(resolve));
      this.depth = Math.max(this.depth, depthOf.get(connection) ?? 0);
      depthOf.delete(connection);
      await release(connection, options);
      if (oneAtATime) {
        const next = waiting.shift();
        if (next) next();
        else busy = false;
      }
    };
    return driver;
  }
}

/** The adapter with `supportsMultipleConnections` true, and everything else its own. */
function manyConnections(adapter: DialectAdapter): DialectAdapter {
  return new Proxy(adapter, {
    get: (target, key) => {
      if (key === "supportsMultipleConnections") return true;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * The test file's app again, on a second handle to its database that counts round trips: the same
 * PGlite instance, or a pool of its own on the same PostgreSQL database. Requests go through
 * `app.request`, the data is the factories'.
 */
export function appCountingRoundTrips(ctx: TestContext) {
  const roundTrips = new RoundTrips();
  const handle = createDatabase({
    url: ctx.handle.url,
    pglite: ctx.handle.pglite,
    maxConnections: 10,
    wrapDialect: roundTrips.wrap,
  });
  const app = createApp({ ...ctx.deps, db: handle.db });
  return {
    app,
    roundTrips,
    // A PostgreSQL pool is this one's own; the PGlite instance is the test file's, closed with it
    // (Kysely's destroy would close it too).
    close: async () => {
      if (handle.engine === "postgres") await handle.close();
    },
  };
}
