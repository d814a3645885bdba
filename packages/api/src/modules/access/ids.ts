import { notFound } from "../../lib/errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id taken from a path: a malformed one is indistinguishable from a missing resource
 * (404, like policies' own path ids), never a 400 that would tell the two apart.
 */
export function pathUuid(value: string, what: string): string {
  if (!UUID.test(value)) throw notFound(what);
  return value.toLowerCase();
}
