import { z } from "zod";

/**
 * Ids in a path, declared once. A malformed id answers 404 like a missing one, never a 400 that
 * would tell the two apart: `createRouter`'s defaultHook turns every path-parameter failure into
 * not_found, and the policies (`lib/policy.ts`) read their own ids through this schema too.
 * Upper case is accepted and lower-cased, so services compare ids as the database writes them.
 */
export const pathId = z.uuid().toLowerCase();

/** An id from a path or a query that answers with a page of its own (HTML not-found page, an ignored filter): the lower-cased id, or undefined. */
export function parseId(value: string | undefined): string | undefined {
  const parsed = pathId.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const uuid = z.uuid();

/** A uuid anywhere else (audit mentions, cursors): the same rule as a path id, without the lower-casing. */
export const isUuid = (value: unknown): value is string => uuid.safeParse(value).success;

/**
 * The coalition (or organisation) a route's policy reads: deliberately `z.string()`, not `pathId`.
 * The policy middleware (`policies.coalitionMember()`, `coordinator()`, `organisationMember()`,
 * `organisationAdmin()`) runs before this schema is checked (zod-openapi puts a route's middleware
 * ahead of its validators) and reads the id itself with `pathId`: a malformed id, an unknown
 * coalition and another coalition's all get the same 404 from it, and anonymous callers a 401 before
 * anything about the id is said. The route then uses `c.get("coalition").coalitionId`, never this
 * parameter, so the string here only names the parameter in the OpenAPI document; a second check
 * here could only answer what the policy already answered. A route whose policy does not read the
 * id (the operators' coalition routes) declares it with `pathId` instead.
 */
export const policyId = z.string().meta({ format: "uuid" });

export const coalitionParams = z.object({ coalitionId: policyId });
export const organisationParams = z.object({ organisationId: policyId });

const COALITION_PATH = /^\/api\/coalitions\/([^/]+)(?:\/|$)/;

/**
 * The coalition a request to `/api/coalitions/{coalitionId}/…` is for, read with `pathId` as the
 * route's policy will read it, or undefined (another path, a malformed id). Only a hint for the
 * session's read (sessions.service.ts): the policy uses what was read for it only when it is for
 * the id the policy itself parsed.
 */
export function coalitionOfPath(path: string): string | undefined {
  const segment = COALITION_PATH.exec(path)?.[1];
  return segment === undefined ? undefined : parseId(segment);
}
