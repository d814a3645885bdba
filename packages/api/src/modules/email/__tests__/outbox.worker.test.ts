import { createClock } from "@sinonjs/fake-timers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { unique } from "../../../../test/factories/index.ts";
import { startBackgroundJobs } from "../../../jobs.ts";
import type { EmailTransport } from "../email.types.ts";
import { enqueueEmail } from "../outbox.ts";
import { backoffSeconds, MAX_ATTEMPTS } from "../outbox.worker.ts";
import { devMailboxTransport } from "../transports/dev-mailbox.ts";
import { enqueueReset, makeDue, outboxRow, worker } from "./helpers.ts";

describe("outbox worker with the dev mailbox", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  const mailbox = (to: string) => ctx.db.selectFrom("dev_mailbox").where("to_address", "=", to).selectAll().execute();

  it("sends nothing for an email whose transaction rolled back", async () => {
    const to = `${unique("rolled-back")}@example.org`;
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        await enqueueEmail(trx, { to, language: "en", message: { template: "lockout", data: {} } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const result = await worker(ctx.db, devMailboxTransport(ctx.db)).runOnce();
    expect(result.claimed).toBe(0);
    expect(await ctx.db.selectFrom("outbox_email").where("to_address", "=", to).select("id").execute()).toEqual([]);
    expect(await mailbox(to)).toEqual([]);
  });

  it("delivers committed emails exactly once, even with two workers running at the same time", async () => {
    const recipients = Array.from({ length: 7 }, () => `${unique("once")}@example.org`);
    const ids = await ctx.db.transaction().execute(async (trx) => {
      const out: string[] = [];
      for (const to of recipients)
        out.push(
          await enqueueEmail(trx, {
            to,
            language: "km",
            message: { template: "email_verification", data: { url: `https://samakki.example/verify?to=${to}` } },
          }),
        );
      return out;
    });
    const a = worker(ctx.db, devMailboxTransport(ctx.db), { batchSize: 3 });
    const b = worker(ctx.db, devMailboxTransport(ctx.db), { batchSize: 3 });
    const results = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    // Each run claims at most its batch, and no row twice.
    for (const r of results) expect(r.claimed).toBeLessThanOrEqual(3);
    expect(results.reduce((n, r) => n + r.claimed, 0)).toBe(7);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(7);
    expect((await a.runOnce()).claimed).toBe(0);

    for (const [i, to] of recipients.entries()) {
      const messages = await mailbox(to);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ outbox_id: ids[i], subject: "បញ្ជាក់អាសយដ្ឋានអ៊ីមែលរបស់អ្នក" });
      expect(messages[0]?.text).toContain(`https://samakki.example/verify?to=${to}`);
      const row = await outboxRow(ctx.db, ids[i] ?? "");
      expect(row).toMatchObject({ status: "sent", attempts: 1, last_error: null });
      expect(row.sent_at).toBeInstanceOf(Date);
    }
  });

  it("loses nothing and sends nothing twice when a worker dies after sending", async () => {
    const to = `${unique("crash")}@example.org`;
    const id = await enqueueReset(ctx.db, to);
    const real = devMailboxTransport(ctx.db);
    // Delivers, then the process "dies" before recording the result: the promise never settles.
    const dying: EmailTransport = {
      send: async (email) => {
        await real.send(email);
        return new Promise<never>(() => {});
      },
    };
    void worker(ctx.db, dying).runOnce();
    await expect.poll(async () => (await mailbox(to)).length).toBe(1);
    // The row is leased, not lost: another worker cannot take it until the lease runs out.
    expect((await outboxRow(ctx.db, id)).status).toBe("pending");
    expect((await worker(ctx.db, real).runOnce()).claimed).toBe(0);

    await makeDue(ctx.db, id);
    const result = await worker(ctx.db, real).runOnce();
    expect(result).toMatchObject({ claimed: 1, sent: 1 });
    expect(await outboxRow(ctx.db, id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(await mailbox(to)).toHaveLength(1);
  });

  it("marks an email dead when a worker died during its last allowed attempt", async () => {
    const to = `${unique("last")}@example.org`;
    const id = await enqueueReset(ctx.db, to);
    await ctx.db.updateTable("outbox_email").set({ attempts: MAX_ATTEMPTS }).where("id", "=", id).execute();
    const result = await worker(ctx.db, devMailboxTransport(ctx.db)).runOnce();
    expect(result).toMatchObject({ claimed: 1, dead: 1, sent: 0 });
    expect(await outboxRow(ctx.db, id)).toMatchObject({
      status: "dead",
      attempts: MAX_ATTEMPTS + 1,
      last_error: expect.stringContaining("interrupted"),
    });
    expect(await mailbox(to)).toEqual([]);
  });

  it("backs off exponentially with jitter", () => {
    expect(backoffSeconds(1, () => 0)).toBe(30);
    expect(backoffSeconds(1, () => 1)).toBe(60);
    expect(backoffSeconds(3, () => 0.5)).toBe(180);
    expect(backoffSeconds(20, () => 1)).toBe(3600);
  });

  it("runs from startBackgroundJobs and stops cleanly, on a clock the test moves (the database driver's stays real)", async () => {
    const to = `${unique("started")}@example.org`;
    // Only the jobs run on this clock. Faking the global timers (vi.useFakeTimers) also moved the
    // driver's query timeouts and reconnect delays under queries still on their way, and a query
    // then waited for a reconnect on a clock nobody moved any more (a hang seen in CI).
    const clock = createClock();
    const stop = startBackgroundJobs(ctx.deps, { timers: clock });
    try {
      const id = await enqueueReset(ctx.db, to);
      // A second at a time until the worker has sent it (bounded: 10 minutes on the test's clock).
      for (let i = 0; i < 600 && (await outboxRow(ctx.db, id)).status !== "sent"; i++) await clock.tickAsync(1000);
      expect((await outboxRow(ctx.db, id)).status).toBe("sent");
    } finally {
      await stop();
    }
    expect(await mailbox(to)).toHaveLength(1);
    // Stopped: no job is scheduled any more, and ten minutes later a new email is still queued.
    // The second stop() waits for any run a leftover timer would have started.
    expect(clock.countTimers()).toBe(0);
    const later = await enqueueReset(ctx.db, `${unique("after-stop")}@example.org`);
    await clock.tickAsync(10 * 60_000);
    await stop();
    expect(await outboxRow(ctx.db, later)).toMatchObject({ status: "pending", attempts: 0 });
  });
});
