import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import type { PasswordHasher } from "../../lib/context.ts";

/** argon2id with the parameters from security.md (m=19456 KiB, t=2, p=1). */
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password, ARGON2),
  verify: async (passwordHash, password) => {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  },
};

const common = new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));

/**
 * Refuse passwords from the bundled list of the ~30,000 most common ones (zxcvbn-ts's list),
 * also when only padded by repetition (e.g. "passwordpassword") or a trailing number run.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (common.has(lower)) return true;
  const stripped = lower.replace(/[0-9!.]+$/, "");
  if (stripped.length > 0 && common.has(stripped)) return true;
  for (let size = 1; size <= lower.length / 2; size++) {
    if (lower.length % size === 0 && lower.slice(0, size).repeat(lower.length / size) === lower) return true;
  }
  return false;
}
