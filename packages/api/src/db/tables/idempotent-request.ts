import type { Generated } from "kysely";

/** A request sent with an Idempotency-Key, and its answer once sent (modules/idempotency). */
export interface IdempotentRequestTable {
  person_id: string;
  key: string;
  /** The coalition of the request's path: the answer is erased with it. */
  coalition_id: string | null;
  /** SHA-256 of the method, the path and the body: the same key with another request is refused. */
  fingerprint: string;
  /** The answer's status and JSON body; null while the first request has not answered. */
  status: number | null;
  body: string | null;
  created_at: Generated<Date>;
}
