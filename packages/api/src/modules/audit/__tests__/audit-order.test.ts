import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { recordAudit, verifyAuditChain } from "../audit.service.ts";

describe("audit chain order", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("verifies a chain of more than ten events in numeric order, in small batches too", async () => {
    for (let i = 0; i < 25; i++)
      await recordAudit(ctx.db, { actorId: null, action: "test.event", targetType: "test", targetId: String(i), after: { i } });
    const whole = await verifyAuditChain(ctx.db);
    expect(whole).toMatchObject({ ok: true });
    expect(whole.checked).toBeGreaterThanOrEqual(25);
    expect(await verifyAuditChain(ctx.db, 7)).toEqual(whole);
  });
});
