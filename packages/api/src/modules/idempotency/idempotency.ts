import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/context.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { AppError, validationFailed } from "../../lib/errors.ts";
import { coalitionOfPath } from "../../lib/params.ts";
import { answersChecked } from "../../lib/response-check.ts";
import { type Executor, withFirstTransactionStep } from "../../lib/transaction.ts";
import { claimRequest, findRequest, pruneRequests, releaseRequest, storeAnswer } from "./idempotency.repository.ts";

/**
 * `Idempotency-Key` on the requests that create something (a task, a statement, a comment, a ballot,
 * a campaign and its updates, a contribution, a letter sent): the web
 * app sends one key per submission of a form, the same again when the person submits it again after
 * a failure. On a slow network the first request may have been applied and its answer lost; the
 * second then gets the first's answer (with `Idempotent-Replayed: true`) and nothing is created twice.
 *
 * The key is claimed inside the transaction that makes the change (lib/transaction.ts,
 * withFirstTransactionStep), so it is taken exactly when the change is made: a request that fails
 * and rolls back leaves it free, and of two requests with one key at the same moment one makes the
 * change and the other, waiting on the key's row, finds it taken. Once answered, the answer is kept
 * beside the key for KEEP_HOURS. A route opts in with `defineRoute(…, { idempotent: true })`; its
 * change must be made in a transaction (withTransaction), which tests and development check.
 * docs/architecture.md, §4 "Sending again".
 */

/** How long a key and its answer are kept (the prune job, jobs.ts). */
export const KEEP_HOURS = 24;

/** 1 to 255 visible ASCII characters, e.g. a UUID. */
const KEY = /^[\x21-\x7e]{1,255}$/;

export const IdempotencyKeyHeader = z.object({
  "idempotency-key": z
    .string()
    .regex(KEY)
    .optional()
    .meta({
      description: `A key of your choosing (1 to 255 visible characters, e.g. a UUID), the same when you send the same request again after a failure or a timeout: the first request's answer is then given again (with \`Idempotent-Replayed: true\`) and nothing is done twice. Keys are yours alone and kept ${KEEP_HOURS} hours. The same key with another request is refused (422 \`idempotency_key_reused\`); while the first is still being answered, 409 \`idempotency_in_progress\` with Retry-After.`,
      example: "5f0c8e9a-7d0b-4c36-9a51-8f2d3e1c4b77",
    }),
});

/**
 * Thrown inside the change's transaction when another request took the key first: it rolls the
 * change back. An AppError, so that the error handler answers it as what it is (409, in progress),
 * without logging a server error, until `idempotent` gives the first request's answer instead.
 */
class KeyTaken extends AppError {
  constructor() {
    super("idempotency_in_progress", "the idempotency key was taken by another request", { headers: { "retry-after": "1" } });
    this.name = "KeyTaken";
  }
}

/** Runs the route (`run`) once per key: answers again what the first request with the key answered. */
export async function idempotent(c: Context<AppEnv>, run: () => Promise<void>): Promise<void> {
  const key = c.req.header("idempotency-key");
  const person = c.get("person");
  if (key === undefined || !person) return run();
  if (!KEY.test(key)) throw validationFailed([{ path: "Idempotency-Key", message: "validation.idempotency_key" }]);
  const { db } = c.get("deps");
  const url = new URL(c.req.url);
  const fingerprint = sha256Hex(`${c.req.method} ${url.pathname}${url.search}\n${await c.req.text()}`);

  const earlier = await findRequest(db, person.id, key);
  if (earlier) return answerAgain(c, earlier, fingerprint);

  const { taken } = await withFirstTransactionStep(async (trx) => {
    const claim = { personId: person.id, key, coalitionId: coalitionOfPath(c.req.path) ?? null, fingerprint };
    if (!(await claimRequest(trx, claim))) throw new KeyTaken();
  }, run);
  if (c.error instanceof KeyTaken) {
    const first = await findRequest(db, person.id, key);
    if (first) return answerAgain(c, first, fingerprint);
    throw inProgress();
  }
  const { status } = c.res;
  if (!taken) {
    // Nothing was committed: a refusal, or a route that changes nothing in a transaction (a bug).
    if (status < 300 && answersChecked(c))
      throw new Error(`${c.req.method} ${c.req.path} is idempotent but made no change in a transaction`);
    return;
  }
  // Only a success is given again; after a failure the key is free for the request to be sent again.
  if (status >= 200 && status < 300) await storeAnswer(db, person.id, key, { status, body: await c.res.clone().text() });
  else await releaseRequest(db, person.id, key);
}

const inProgress = () =>
  new AppError("idempotency_in_progress", "the first request with this key is still being answered", { headers: { "retry-after": "1" } });

function answerAgain(
  c: Context<AppEnv>,
  earlier: { fingerprint: string; status: number | null; body: string | null },
  fingerprint: string,
): void {
  if (earlier.fingerprint !== fingerprint) throw new AppError("idempotency_key_reused", "the key was sent with another request");
  if (earlier.status === null || earlier.body === null) throw inProgress();
  c.res = undefined;
  c.res = new Response(earlier.body === "" ? null : earlier.body, {
    status: earlier.status,
    headers: { "content-type": "application/json", "idempotent-replayed": "true" },
  });
}

/** Forgets the keys and answers older than KEEP_HOURS (an hourly job, jobs.ts). */
export const pruneIdempotencyKeys = (db: Executor): Promise<number> => pruneRequests(db, KEEP_HOURS);
