import { argon2idHasher } from "../src/modules/auth/passwords.ts";

/**
 * The tests' password hasher: the same argon2id code path at about a fortieth of the production
 * cost (512 KiB, one pass), so the files that sign in hundreds of times (limits, lockouts, bursts)
 * hold on a busy machine. Accounts made by the factories are hashed with it too, since verifying
 * costs what hashing did. The production parameters have their own test (auth/__tests__/password.test.ts).
 */
export const testHasher = argon2idHasher({ memoryCost: 512, timeCost: 1, parallelism: 1 });
