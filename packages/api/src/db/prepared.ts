import { type Compilable, type CompiledQuery, createQueryId, RawNode } from "kysely";
import type { Executor } from "../lib/transaction.ts";

/*
 * Queries of the request path, built and compiled once instead of on every request (issue 12,
 * item 1: building and compiling Kysely queries was most of a read's CPU above the SQL itself).
 * A query is built with a marker in place of each named value; the compiled SQL is kept, and each
 * call runs it with the markers in its parameter list replaced by the call's values.
 *
 * Safe because the SQL text does not depend on the values: only values given through the markers
 * change between calls, and they travel as bound parameters, never in the SQL (checked when the
 * query is compiled, below). Both engines compile PostgreSQL, so one compilation serves either.
 * Constants written into the query (status lists, literals) are compiled once with it.
 */

const MARKER = "\u0000prepared:";
const markerOf = (name: string) => `${MARKER}${name}\u0000`;

type Slot = { name: string } | { value: unknown };
interface Compiled {
  sql: string;
  slots: readonly Slot[];
  /** The query's node for Kysely (a raw node of the SQL, as CompiledQuery.raw makes), made once. */
  node: RawNode;
}

/**
 * Compiles a query built with the markers of `names`. Refuses a name that does not reach the SQL
 * (its filter would silently be missing, and match everything), and a marker written into the SQL
 * text or into a computed value (`sql.raw`, `sql.lit`, string concatenation): there the call's
 * value would never be bound.
 */
function compileWithMarkers(query: Compilable<unknown>, names: readonly string[]): Compiled {
  const compiled = query.compile();
  const byMarker = new Map(names.map((name) => [markerOf(name), name]));
  const slots = compiled.parameters.map((value): Slot => {
    if (typeof value !== "string" || !value.includes(MARKER)) return { value };
    const name = byMarker.get(value);
    if (name === undefined) throw new Error(`prepared query: a parameter is used inside a computed value (${JSON.stringify(value)})`);
    return { name };
  });
  if (compiled.sql.includes(MARKER)) throw new Error("prepared query: a parameter was written into the SQL text instead of bound");
  const used = new Set(slots.flatMap((slot) => ("name" in slot ? [slot.name] : [])));
  const unused = names.filter((name) => !used.has(name));
  if (unused.length) throw new Error(`prepared query: parameters ${unused.join(", ")} do not reach the SQL`);
  return { sql: compiled.sql, slots, node: RawNode.createWithSql(compiled.sql) };
}

/**
 * Runs the compiled SQL with this call's values: what CompiledQuery.raw(sql, parameters) gives,
 * but on the node made at compilation instead of a new one (frozen, with its own arrays) per call.
 */
async function execute<Row>(db: Executor, compiled: Compiled, values: object): Promise<Row[]> {
  const { slots } = compiled;
  const parameters: unknown[] = new Array(slots.length);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as Slot;
    parameters[i] = "name" in slot ? Reflect.get(values, slot.name) : slot.value;
  }
  const query: CompiledQuery<Row> = Object.freeze({
    sql: compiled.sql,
    query: compiled.node,
    parameters: Object.freeze(parameters),
    queryId: createQueryId(),
  });
  const result = await db.executeQuery<Row>(query);
  return result.rows;
}

/**
 * A query of one shape: `build` receives a marker for each of `names` and returns the query as
 * usual; every call gives a value for each name.
 */
export function prepared<Name extends string, Row>(
  names: readonly Name[],
  build: (db: Executor, params: Record<Name, string>) => Compilable<Row>,
): (db: Executor, values: Record<Name, unknown>) => Promise<Row[]> {
  let compiled: Compiled | undefined;
  return async (db, values) => {
    compiled ??= compileWithMarkers(build(db, markersOf(names)), names);
    return execute(db, compiled, values);
  };
}

/**
 * A query whose shape depends on which values are given (optional filters, a cursor): one
 * compilation per shape, kept. A value is present when it is not undefined; `build` receives a
 * marker for each present value and undefined for the others, so it reads like the usual
 * `if (filter.status) query = query.where(…)`. Every present value must reach the SQL as a bound
 * parameter; use a value only as a value of the query (no arithmetic or string building on it in
 * `build`: compute it before the call). The shapes are at most 2^(number of optional values).
 *
 *   const page = preparedShapes((db, p: { coalitionId: string; status?: Status | undefined }) => …);
 *   await page(db, { coalitionId, status: filter.status });
 */
export function preparedShapes<Values extends object, Row>(
  build: (db: Executor, params: Values) => Compilable<Row>,
): (db: Executor, values: Values) => Promise<Row[]> {
  const shapes = new Map<number, Compiled>();
  // Each name seen gets a bit; a shape is the set of present names, as a number (no array, no sort per call).
  const bits = new Map<string, number>();
  return async (db, values) => {
    let shape = 0;
    for (const name in values) {
      if (Reflect.get(values, name) === undefined) continue;
      let bit = bits.get(name);
      if (bit === undefined) {
        if (bits.size === 30) throw new Error("preparedShapes: at most 30 values");
        bit = 1 << bits.size;
        bits.set(name, bit);
      }
      shape |= bit;
    }
    let compiled = shapes.get(shape);
    if (!compiled) {
      const present = [...bits].filter(([, bit]) => shape & bit).map(([name]) => name);
      compiled = compileWithMarkers(build(db, markersOf<Values>(present)), present);
      shapes.set(shape, compiled);
    }
    return execute(db, compiled, values);
  };
}

/**
 * The markers `build` sees in place of the values. Typed as the values themselves so the query
 * builder accepts them where a value of that type goes; safe because compileWithMarkers refuses
 * a query where a marker ends up anywhere but as a whole bound parameter.
 */
function markersOf<Markers>(names: readonly string[]): Markers {
  return Object.fromEntries(names.map((name) => [name, markerOf(name)])) as Markers;
}
