import { z } from "zod";
import { isUuid } from "./params.ts";
import { isoTime } from "./time.ts";

/**
 * Opaque keyset cursors: a position (timestamp, uuid) encoded as base64url, the one codec every
 * paged list uses. Timestamps carry milliseconds, as sortable timestamps are stored (AGENTS.md).
 */
export interface KeysetCursor {
  at: Date;
  id: string;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${isoTime(at)}|${id}`).toString("base64url");
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The position a cursor we issued names, or undefined for anything else: exactly one canonical
 * ISO instant and one lower-case uuid, nothing more, so it cannot carry another shape into a query.
 * Never "from the start": the `Cursor` schema turns undefined into a 400.
 */
export function decodeCursor(cursor: string): KeysetCursor | undefined {
  if (!BASE64URL.test(cursor)) return undefined;
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || !at || !isUuid(id) || id !== id.toLowerCase()) return undefined;
  // Four digits of year, from 0001: the database takes no year 0 and no extended year (+275760…).
  if (!INSTANT.test(at)) return undefined;
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || isoTime(date) !== at) return undefined;
  return { at: date, id };
}

/**
 * The `cursor` query parameter of every paged list: a cursor we issued, decoded at the edge. A
 * malformed one answers 400 validation_failed with the field `query.cursor`, never a 500 and never
 * "start over from the top".
 */
export const Cursor = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const cursor = decodeCursor(value);
    if (!cursor) ctx.addIssue({ code: "custom", message: "validation.invalid" });
    return cursor ?? z.NEVER;
  });
