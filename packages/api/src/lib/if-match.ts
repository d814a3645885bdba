import type { Context } from "hono";
import { z } from "zod";
import { AppError } from "./errors.ts";
import { errorResponse, jsonResponse } from "./route.ts";

/**
 * Optimistic concurrency for edits (docs/architecture.md, §4 "Two people editing at once").
 *
 * A task, a campaign and a statement carry a revision (the statement's is its latest version's
 * number), answered as the `ETag` header of their GET and of each edit, and as `revision` in the
 * body. A client that sends it back in `If-Match` with its edit has the edit refused with 412
 * `edit_conflict` when the revision has moved on (someone else's edit came first), instead of
 * writing its stale copy over theirs: the web app's edit forms send every field they show, so
 * without this the second of two people editing a task put back the title the first had changed.
 * The comparison is made inside the edit's transaction, on the row it locked, so two edits sent
 * with the same revision at the same moment give one 200 and one 412. Without `If-Match` an edit
 * applies as before (the last one wins), as HTTP has it.
 */

/** The revision as an entity tag: strong, so that If-Match may compare it (RFC 9110 §8.8.3.2). */
export const etag = (revision: number): string => `"${revision}"`;

/**
 * The tags of one revision: its own, and those a compressed answer carries (lib/compression.ts adds
 * the encoding to a strong tag, as the representation differs), which a client sends back as given.
 */
const tagsOf = (revision: number): readonly string[] => [etag(revision), `"${revision}-br"`, `"${revision}-gzip"`];

const IF_MATCH_DESCRIPTION =
  "The `ETag` (the revision) the edit is based on: when the resource has changed since, the edit is refused with 412 `edit_conflict` and changes nothing. `*` matches any revision; without the header the edit applies whatever changed since (the last edit wins).";

/** The If-Match request header, as the OpenAPI document shows it and the route validates it. */
export const IfMatchHeader = z.object({
  "if-match": z.string().max(1000).optional().meta({ description: IF_MATCH_DESCRIPTION, example: '"3"' }),
});

/** The ETag response header of a resource with a revision, for the OpenAPI document. */
export const etagHeader = {
  ETag: {
    description: "The resource's revision, to send back in `If-Match` with an edit",
    schema: { type: "string", example: '"3"' },
  },
} as const;

/** A resource answered whole with its revision as the ETag, for the OpenAPI document. */
export const revisionResponse = <T extends z.ZodType>(schema: T, description?: string) => ({
  ...jsonResponse(schema, description),
  headers: etagHeader,
});

/** The resource, its revision set as the answer's ETag. */
export function tagged<T extends { revision: number }>(c: Context, resource: T): T {
  c.header("ETag", etag(resource.revision));
  return resource;
}

/** The 412 answer of an edit that takes If-Match, for the OpenAPI document. */
export const editConflict = errorResponse(
  "The resource changed since the `If-Match` revision (`edit_conflict`): nothing was changed. Read it again, then send the edit with its new `ETag`",
);

/** One entity tag of a list, with the comma or the end after it (RFC 9110 §8.8.3: `[W/] "…"`). */
const ENTITY_TAG = /\s*(W\/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)/y;

/**
 * Whether an `If-Match` header holds for the current revision (RFC 9110 §13.1.1): no header, `*`,
 * or a list holding the revision's strong tag. A weak tag never matches, and a header that is not
 * a list of entity tags matches nothing.
 */
export function ifMatchHolds(header: string | undefined, revision: number): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value === "*") return true;
  const current = tagsOf(revision);
  ENTITY_TAG.lastIndex = 0;
  let matched = false;
  while (ENTITY_TAG.lastIndex < value.length) {
    const found = ENTITY_TAG.exec(value);
    if (!found) return false;
    if (!found[1] && found[2] !== undefined && current.includes(found[2])) matched = true;
  }
  return matched;
}

/** Refuses the edit (412 `edit_conflict`) unless `If-Match` holds for the current revision; call it on the locked row. */
export function requireMatch(header: string | undefined, revision: number): void {
  if (!ifMatchHolds(header, revision)) throw new AppError("edit_conflict", `If-Match ${header} does not match revision ${revision}`);
}
