import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { unique } from "../../../../test/factories/index.ts";
import { emailTransport } from "../../../jobs.ts";
import type { EmailTransport, OutgoingEmail } from "../email.types.ts";
import { createOutboxWorker, type DbClock, HEARTBEAT_MS, LEASE_SECONDS, POLL_INTERVAL_MS, SEND_TIMEOUT_MS } from "../outbox.worker.ts";
import { startFakeResend } from "./fake-resend.ts";
import { enqueueReset, outboxRow, silent, worker } from "./helpers.ts";

/*
 * Claims held by a dead or stalled worker. Time is the database's clock shifted by a number of
 * seconds the test moves (every worker here reads it), never a sleep.
 */

function movableClock() {
  const clock = { seconds: 0 };
  const now: DbClock = () => sql<Date>`now() + ${clock.seconds}::int * interval '1 second'`;
  return { clock, now };
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A transport that records every send and lets the test decide when (and how) each one ends. */
function controlledTransport() {
  const sends: {
    email: OutgoingEmail;
    signal: AbortSignal | undefined;
    done: ReturnType<typeof deferred<{ providerId: string | null }>>;
  }[] = [];
  const started = deferred<void>();
  const transport: EmailTransport = {
    send(email, options) {
      const done = deferred<{ providerId: string | null }>();
      options?.signal?.addEventListener("abort", () => done.reject(options.signal?.reason));
      sends.push({ email, signal: options?.signal, done });
      started.resolve();
      return done.promise;
    },
  };
  return { transport, sends, started: started.promise };
}

/** Sends at once and records the ids it was given (the Idempotency-Keys). */
function instantTransport() {
  const keys: string[] = [];
  const transport: EmailTransport = {
    async send(email) {
      keys.push(email.id);
      return { providerId: `p_${email.id}` };
    },
  };
  return { transport, keys };
}

describe("outbox leases", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("keeps the lease short and every send shorter than it, so a dead worker's email is retried within 30 s", () => {
    expect(LEASE_SECONDS + POLL_INTERVAL_MS / 1000).toBeLessThanOrEqual(30);
    expect(SEND_TIMEOUT_MS).toBeLessThan(LEASE_SECONDS * 1000);
    expect(HEARTBEAT_MS * 2).toBeLessThanOrEqual(LEASE_SECONDS * 1000);
    const db = ctx.db;
    expect(() =>
      createOutboxWorker({ db, transport: instantTransport().transport, logger: silent, sendTimeoutMs: LEASE_SECONDS * 1000 }),
    ).toThrow("shorter than the lease");
  });

  it("takes over the claim of a worker that died once its lease runs out, within the lease", async () => {
    const { clock, now } = movableClock();
    const id = await enqueueReset(ctx.db, `${unique("orphan")}@example.org`);
    // Worker A claims the email and dies while sending: no heartbeat (its timer would only fire
    // after 19 s), no answer.
    const dead = controlledTransport();
    const a = worker(ctx.db, dead.transport, { now, heartbeatMs: 19_000 });
    const aRun = a.runOnce();
    await dead.started;
    const claimed = await outboxRow(ctx.db, id);
    expect(claimed).toMatchObject({ status: "pending", attempts: 1 });
    expect(claimed.due_in).toBeGreaterThan(LEASE_SECONDS - 5);
    expect(claimed.due_in).toBeLessThanOrEqual(LEASE_SECONDS + 1);

    const live = instantTransport();
    const b = worker(ctx.db, live.transport, { now });
    // Not before the lease ends…
    clock.seconds = LEASE_SECONDS - 3;
    expect((await b.runOnce()).claimed).toBe(0);
    // …and as soon as it has.
    clock.seconds = LEASE_SECONDS + 1;
    expect(await b.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(live.keys).toEqual([id]);
    expect(dead.sends.map((s) => s.email.id)).toEqual([id]);
    expect(await outboxRow(ctx.db, id)).toMatchObject({ status: "sent", attempts: 2, last_error: null, provider_id: `p_${id}` });

    // Had A only been stalled, its late failure changes nothing (fenced on the attempt number).
    dead.sends[0]?.done.reject(new Error("too late"));
    expect(await aRun).toMatchObject({ claimed: 1, sent: 0 });
    expect(await outboxRow(ctx.db, id)).toMatchObject({ status: "sent", attempts: 2, last_error: null });
  });

  it("renews a slow send's claim with a heartbeat, so no second worker sends it", async () => {
    const { clock, now } = movableClock();
    const id = await enqueueReset(ctx.db, `${unique("slow")}@example.org`);
    const slow = controlledTransport();
    const a = worker(ctx.db, slow.transport, { now, heartbeatMs: 19_000 });
    const aRun = a.runOnce();
    await slow.started;
    const other = instantTransport();
    const b = worker(ctx.db, other.transport, { now });
    // Three leases long, with a heartbeat every 15 s of database time.
    for (let step = 1; step <= 6; step++) {
      clock.seconds = step * 15;
      if (step % 2 === 1) await a.heartbeat();
      else expect((await b.runOnce()).claimed).toBe(0);
      expect((await outboxRow(ctx.db, id)).attempts).toBe(1);
    }
    slow.sends[0]?.done.resolve({ providerId: "p_slow" });
    expect(await aRun).toMatchObject({ claimed: 1, sent: 1, takenOver: 0 });
    expect(other.keys).toEqual([]);
    expect(slow.sends).toHaveLength(1);
    expect(slow.sends[0]?.signal?.aborted).toBe(false);
    expect(await outboxRow(ctx.db, id)).toMatchObject({ status: "sent", attempts: 1, provider_id: "p_slow" });
  });

  it("runs the heartbeat on a timer while sending", async () => {
    const { clock, now } = movableClock();
    const id = await enqueueReset(ctx.db, `${unique("timer")}@example.org`);
    const slow = controlledTransport();
    const a = worker(ctx.db, slow.transport, { now, heartbeatMs: 20 });
    const aRun = a.runOnce();
    await slow.started;
    // The next timer beat renews the lease from the moved clock: due LEASE_SECONDS after it.
    clock.seconds = 60;
    await expect
      .poll(async () => (await outboxRow(ctx.db, id)).due_in, { timeout: 10_000, interval: 50 })
      .toBeGreaterThan(60 + LEASE_SECONDS - 5);
    slow.sends[0]?.done.resolve({ providerId: "p_timer" });
    expect(await aRun).toMatchObject({ sent: 1 });
    // Stopped with the batch: no renewal after the outcome.
    expect(await outboxRow(ctx.db, id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("stops the send in flight and skips the rest of its batch once its claims were taken over", async () => {
    const { clock, now } = movableClock();
    const first = await enqueueReset(ctx.db, `${unique("batch-1")}@example.org`);
    const second = await enqueueReset(ctx.db, `${unique("batch-2")}@example.org`);
    await ctx.db
      .updateTable("outbox_email")
      .set({ next_attempt_at: sql<Date>`now() - interval '1 hour'` })
      .where("id", "in", [first, second])
      .execute();
    const stalled = controlledTransport();
    const a = worker(ctx.db, stalled.transport, { now, heartbeatMs: 19_000, batchSize: 2 });
    const aRun = a.runOnce();
    await stalled.started;
    // A's heartbeat stalls past the lease; B takes both emails and sends them.
    clock.seconds = LEASE_SECONDS + 1;
    const other = instantTransport();
    expect(await worker(ctx.db, other.transport, { now, batchSize: 2 }).runOnce()).toMatchObject({ claimed: 2, sent: 2 });
    // A's next heartbeat finds both claims gone: it aborts its send and sends nothing more.
    await a.heartbeat();
    expect(await aRun).toMatchObject({ claimed: 2, sent: 0, retried: 0, takenOver: 2 });
    expect(stalled.sends).toHaveLength(1);
    expect(stalled.sends[0]?.signal?.aborted).toBe(true);
    expect(other.keys.sort()).toEqual([first, second].sort());
    for (const id of [first, second]) expect(await outboxRow(ctx.db, id)).toMatchObject({ status: "sent", attempts: 2, last_error: null });
  });
});

describe("outbox leases through Resend (a fake Resend on 127.0.0.1)", () => {
  let ctx: TestContext;
  let resend: Awaited<ReturnType<typeof startFakeResend>>;
  beforeAll(async () => {
    resend = await startFakeResend();
    ctx = await buildTestApp({
      email: { resendApiKey: "re_test_key", resendBaseUrl: resend.url, from: "Samakki <no-reply@samakki.example>" },
    });
  });
  afterAll(() => resend.close());

  it("sends the same Idempotency-Key on every attempt: after a failure, after a crash, on takeover", async () => {
    const { clock, now } = movableClock();
    const id = await enqueueReset(ctx.db, `${unique("stable-key")}@example.org`);
    // Attempt 1: the provider fails.
    resend.state.failing = true;
    expect(await worker(ctx.db, emailTransport(ctx.deps), { now }).runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    resend.state.failing = false;
    // Attempt 2: due after the backoff; the worker dies waiting for the answer.
    clock.seconds = 3600;
    resend.state.hold = 1;
    const dying = worker(ctx.db, emailTransport(ctx.deps), { now, heartbeatMs: 19_000 });
    const dyingRun = dying.runOnce();
    await expect.poll(() => resend.requests.filter((r) => r.headers["idempotency-key"] === id).length).toBe(2);
    // Attempt 3: another worker takes it over after the lease and delivers it.
    clock.seconds = 3600 + LEASE_SECONDS + 1;
    expect(await worker(ctx.db, emailTransport(ctx.deps), { now }).runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    resend.release();
    await dyingRun;

    const keys = resend.requests.filter((r) => r.body.to?.[0]?.startsWith("stable-key")).map((r) => r.headers["idempotency-key"]);
    expect(keys).toEqual([id, id, id]);
    expect(await outboxRow(ctx.db, id)).toMatchObject({ status: "sent", attempts: 3, last_error: null });
  });

  it("aborts the HTTP request in flight when a heartbeat finds the claim taken over", async () => {
    const { clock, now } = movableClock();
    const to = `${unique("abort")}@example.org`;
    const id = await enqueueReset(ctx.db, to);
    resend.state.hold = 1;
    const stalled = worker(ctx.db, emailTransport(ctx.deps), { now, heartbeatMs: 19_000 });
    const stalledRun = stalled.runOnce();
    await expect.poll(() => resend.requests.filter((r) => r.headers["idempotency-key"] === id).length).toBe(1);
    clock.seconds = LEASE_SECONDS + 1;
    expect(await worker(ctx.db, emailTransport(ctx.deps), { now }).runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    // The provider still holds the first request; the heartbeat ends it from our side.
    const abandoned = resend.state.abandoned;
    await stalled.heartbeat();
    await expect.poll(() => resend.state.abandoned).toBe(abandoned + 1);
    expect(await stalledRun).toMatchObject({ claimed: 1, sent: 0, retried: 0, takenOver: 1 });
    resend.release();
    expect(await outboxRow(ctx.db, id)).toMatchObject({ status: "sent", attempts: 2, last_error: null });
  });
});
