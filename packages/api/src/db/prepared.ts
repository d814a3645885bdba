import { type Compilable, CompiledQuery } from "kysely";
import type { Executor } from "../lib/transaction.ts";

/**
 * A query of the request path, built and compiled once instead of on every request (issue 12,
 * item 1: building Kysely queries was most of the policy check's CPU). `build` receives a marker
 * for each named parameter and returns the query as usual; the compiled SQL is kept, and each call
 * runs it with the markers in its parameter list replaced by the call's values.
 *
 * Safe because the SQL text does not depend on the values: only values given through the markers
 * change between calls, and they travel as bound parameters, never in the SQL. Both engines
 * compile PostgreSQL, so one compilation serves either. Constants written into the query (status
 * lists, literals) are compiled once with it.
 */
export function prepared<Name extends string, Row>(
  names: readonly Name[],
  build: (db: Executor, params: Record<Name, string>) => Compilable<Row>,
): (db: Executor, values: Record<Name, unknown>) => Promise<Row[]> {
  const markers = Object.fromEntries(names.map((name) => [name, `\u0000prepared:${name}\u0000`])) as Record<Name, string>;
  const byMarker = new Map<unknown, Name>(names.map((name) => [markers[name], name]));
  let compiled: { sql: string; slots: ReadonlyArray<{ name: Name } | { value: unknown }> } | undefined;
  return async (db, values) => {
    if (!compiled) {
      const query = build(db, markers).compile();
      const slots = query.parameters.map((value) => {
        const name = byMarker.get(value);
        return name === undefined ? { value } : { name };
      });
      const used = new Set(slots.flatMap((slot) => ("name" in slot ? [slot.name] : [])));
      const unused = names.filter((name) => !used.has(name));
      if (unused.length) throw new Error(`prepared query: parameters ${unused.join(", ")} do not reach the SQL`);
      compiled = { sql: query.sql, slots };
    }
    const parameters = compiled.slots.map((slot) => ("name" in slot ? values[slot.name] : slot.value));
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters));
    return result.rows;
  };
}
