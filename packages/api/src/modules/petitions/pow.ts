import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import type { Executor } from "../../lib/transaction.ts";
import { ensureServerSecret, markPowChallengeUsed } from "./pow.repository.ts";

/**
 * A self-hosted proof-of-work challenge in the ALTCHA format (v1: SHA-256, `challenge =
 * sha256(salt + number)`, `signature = HMAC-SHA256(key, challenge)`, expiry in the salt), so the
 * `altcha` widget or any ALTCHA solver can answer it. Written here (about 60 lines over
 * node:crypto) rather than with altcha-lib: the same protocol, no dependency, and the key comes
 * from `server_secret` like the device-cookie key. Each solved challenge is accepted once: it is
 * stored in `pow_challenge_used` until it expires.
 */
export const POW_MAX_NUMBER = 20_000;
export const POW_TTL_SECONDS = 20 * 60;
const SECRET_NAME = "petition_pow";

export interface PowChallenge {
  algorithm: "SHA-256";
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

const secrets = new WeakMap<object, Promise<Buffer>>();
/** The HMAC key, generated once per database at first use and shared by every instance. */
export function powSecret(db: Executor): Promise<Buffer> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = ensureServerSecret(db, SECRET_NAME, () => randomBytes(32).toString("base64url")).then((s) => Buffer.from(s, "base64url"));
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest("hex");

export async function createPowChallenge(db: Executor, now: Date, maxNumber = POW_MAX_NUMBER): Promise<PowChallenge> {
  const expires = Math.floor(now.getTime() / 1000) + POW_TTL_SECONDS;
  const salt = `${randomBytes(12).toString("hex")}?expires=${expires}`;
  const challenge = sha256(`${salt}${randomInt(0, maxNumber + 1)}`);
  return { algorithm: "SHA-256", challenge, maxnumber: maxNumber, salt, signature: hmac(await powSecret(db), challenge) };
}

/** Find the number (what the widget does in the browser); for tests and the benchmark. */
export function solvePowChallenge(c: Pick<PowChallenge, "challenge" | "salt" | "maxnumber" | "signature" | "algorithm">): string {
  for (let n = 0; n <= c.maxnumber; n++) {
    if (sha256(`${c.salt}${n}`) === c.challenge) {
      return Buffer.from(
        JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature }),
      ).toString("base64");
    }
  }
  throw new Error("unsolvable challenge");
}

interface Payload {
  algorithm: unknown;
  challenge: unknown;
  number: unknown;
  salt: unknown;
  signature: unknown;
}

function parse(payload: string): Payload | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
    return value && typeof value === "object" ? (value as Payload) : null;
  } catch {
    return null;
  }
}

/**
 * Check a solution: our signature, not expired, the right number, and never used before (the
 * challenge is recorded in the same statement that checks it, so two parallel submissions of one
 * solution cannot both pass).
 */
export async function verifyPowSolution(db: Executor, payload: string, now: Date): Promise<boolean> {
  const p = parse(payload);
  if (p?.algorithm !== "SHA-256" || typeof p.challenge !== "string" || typeof p.salt !== "string") return false;
  if (typeof p.signature !== "string" || typeof p.number !== "number" || !Number.isInteger(p.number)) return false;
  const expires = Number(/[?&]expires=(\d{1,12})(?:&|$)/.exec(p.salt)?.[1] ?? Number.NaN);
  if (!Number.isFinite(expires) || expires * 1000 <= now.getTime()) return false;
  if (sha256(`${p.salt}${p.number}`) !== p.challenge) return false;
  const expected = Buffer.from(hmac(await powSecret(db), p.challenge));
  const given = Buffer.from(p.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return markPowChallengeUsed(db, p.challenge, new Date(expires * 1000));
}
