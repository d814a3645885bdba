import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import type { PasswordHasher } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";

/** argon2id with the parameters of docs/security.md §3 (m=19456 KiB, t=2, p=1, OWASP's first choice). */
const ARGON2ID = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** An argon2id hasher; `verify` reads the parameters a hash was made with from the hash itself. */
export function argon2idHasher(params: { memoryCost: number; timeCost: number; parallelism: number } = ARGON2ID): PasswordHasher {
  return {
    hash: (password) => hash(password, { ...params, algorithm: 2 }),
    verify: async (passwordHash, password) => {
      try {
        return await verify(passwordHash, password);
      } catch {
        return false;
      }
    },
  };
}

export const argon2Hasher: PasswordHasher = argon2idHasher();

const common = new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));

/**
 * Refuse passwords from the bundled list of the ~30,000 most common ones (zxcvbn-ts's list),
 * also when only padded by repetition (e.g. "passwordpassword") or a trailing number run.
 */
function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (common.has(lower)) return true;
  const stripped = lower.replace(/[0-9!.]+$/, "");
  if (stripped.length > 0 && common.has(stripped)) return true;
  for (let size = 1; size <= lower.length / 2; size++) {
    if (lower.length % size === 0 && lower.slice(0, size).repeat(lower.length / size) === lower) return true;
  }
  return false;
}

/** A common password is refused with a field error at `path`. */
export function assertStrongPassword(password: string, path = "password") {
  if (isCommonPassword(password)) {
    throw new AppError("password_too_weak", "common password", { fieldErrors: [{ path, message: "common" }] });
  }
}
