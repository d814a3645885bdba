import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../test/app.ts";
import { createWorld } from "../../../test/factories/index.ts";

/*
 * Issue 8, item 5: PGlite runs queries on the main thread, and many requests' queries chained
 * through promise callbacks alone kept timers and incoming connections waiting for seconds.
 * The database handle must let the event loop run between queries, on both engines.
 * (`pnpm bench` measures the event-loop delay itself, over HTTP, at 50 clients.)
 */
describe("queries under concurrency leave the event loop free", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("timers keep firing while 50 clients' requests run", async () => {
    const world = await createWorld(ctx);
    const client = world.clients.coordinator;
    const CLIENTS = 50;
    const ROUNDS = 4;
    // A 5 ms interval stands for everything else the server must do meanwhile (accept, time out…).
    let ticks = 0;
    const interval = setInterval(() => ticks++, 5);
    try {
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, i) => {
          for (let round = 0; round < ROUNDS; round++) {
            const res = await client.get(i % 2 ? "/api/me" : `/api/coalitions/${world.coalition.id}/members`);
            expect(res.status).toBe(200);
          }
        }),
      );
    } finally {
      clearInterval(interval);
    }
    // Starved (PGlite without yielding), the interval did not fire once in those 200 requests
    // (about 1.3 s); with a yield after every query it fires every few tens of milliseconds.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });
});
