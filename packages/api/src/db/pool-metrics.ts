import type { DatabaseConnection, Dialect, Driver } from "kysely";
import { dbPool } from "../lib/metrics.ts";
import { patchDriver } from "./dialect.ts";

/**
 * Count, where Kysely acquires and releases connections, how many the app holds and how many
 * callers wait for one (lib/metrics.ts `dbPool`). Neither postgres.js nor PGlite reports its pool:
 * on postgres.js every Kysely connection is a reserved connection (kysely-postgres-js), on PGlite
 * the one connection is behind Kysely's mutex, so these counts are what each engine really has.
 * Two integer updates per connection acquired; nothing per query.
 */
export function countingDialect(inner: Dialect, maxConnections: number): Dialect {
  dbPool.max = maxConnections;
  return patchDriver(inner, countConnections);
}

function countConnections(driver: Driver): Driver {
  const acquire = driver.acquireConnection.bind(driver);
  const release = driver.releaseConnection.bind(driver);
  // Patched on the instance: the optional savepoint methods stay exactly as the driver has them.
  driver.acquireConnection = async (options): Promise<DatabaseConnection> => {
    dbPool.waiting++;
    let connection: DatabaseConnection;
    try {
      connection = await acquire(options);
    } finally {
      dbPool.waiting--;
    }
    dbPool.inUse++;
    return connection;
  };
  driver.releaseConnection = async (connection, options) => {
    dbPool.inUse--;
    await release(connection, options);
  };
  return driver;
}
