import type { Dialect, Driver } from "kysely";

/**
 * `inner` with its driver changed by `patch`, which patches methods on the driver instance so that
 * the rest stay the driver's own (a savepoint method a driver may or may not have, for one).
 */
export function patchDriver(inner: Dialect, patch: (driver: Driver) => Driver): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createDriver: () => patch(inner.createDriver()),
  };
}
