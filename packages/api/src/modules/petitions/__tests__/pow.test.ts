import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createPowChallenge, POW_TTL_SECONDS, solvePowChallenge, verifyPowSolution } from "../pow.ts";

describe("proof-of-work challenges (ALTCHA format)", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });
  const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64");
  const decode = (s: string) => JSON.parse(Buffer.from(s, "base64").toString("utf8")) as Record<string, unknown>;

  it("accepts a solved challenge once", async () => {
    const now = new Date();
    const solution = solvePowChallenge(await createPowChallenge(ctx.db, now, 500));
    expect(await verifyPowSolution(ctx.db, solution, now)).toBe(true);
    expect(await verifyPowSolution(ctx.db, solution, now)).toBe(false);
  });

  it("refuses a wrong number, a forged signature, an expired challenge and garbage", async () => {
    const now = new Date();
    const good = decode(solvePowChallenge(await createPowChallenge(ctx.db, now, 500)));
    expect(await verifyPowSolution(ctx.db, encode({ ...good, number: Number(good.number) + 1 }), now)).toBe(false);
    expect(await verifyPowSolution(ctx.db, encode({ ...good, signature: "0".repeat(64) }), now)).toBe(false);
    const later = new Date(now.getTime() + (POW_TTL_SECONDS + 1) * 1000);
    expect(await verifyPowSolution(ctx.db, encode(good), later)).toBe(false);
    expect(await verifyPowSolution(ctx.db, "not base64 json", now)).toBe(false);
    expect(await verifyPowSolution(ctx.db, encode([1, 2]), now)).toBe(false);
    // The untouched solution still works (nothing above used it up).
    expect(await verifyPowSolution(ctx.db, encode(good), now)).toBe(true);
  });

  it("a challenge made with another key is refused", async () => {
    const now = new Date();
    const c = await createPowChallenge(ctx.db, now, 500);
    const other = await buildTestApp();
    expect(await verifyPowSolution(other.db, solvePowChallenge(c), now)).toBe(false);
  });
});
