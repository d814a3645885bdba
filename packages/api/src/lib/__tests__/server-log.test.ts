import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildDatabase, childDatabase, exitWithin, killAll, type ServerProcess, startServer } from "../../../test/server-process.ts";

/*
 * The server writes its JSON log lines in batches (logger.ts: 16 KiB, or every second). Batching
 * must never hide a line for long: under light traffic a request's line still reaches stdout
 * within the flush interval, and the last lines are written when the process stops.
 */

let database: ChildDatabase;
let server: ServerProcess;

beforeAll(async () => {
  database = await childDatabase();
  server = await startServer({ ...database.env, LOG_LEVEL: "info", NODE_ENV: "production", WORKERS: "false" });
}, 120_000);

afterAll(async () => {
  await killAll();
  await database.cleanup();
});

const lineOf = (output: string, requestId: string) => output.split("\n").find((line) => line.includes(`"requestId":"${requestId}"`));

async function lineWithin(requestId: string, ms: number): Promise<string | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const line = lineOf(server.output(), requestId);
    if (line || Date.now() > deadline) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the server's log lines, batched", () => {
  it("are all on stdout at the start: the start-up lines are not held back with the batch", async () => {
    // A moment for the pipe to deliver what was written before /healthz answered; far less than the flush interval.
    const deadline = Date.now() + 300;
    while (!server.output().includes('"msg":"listening"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.output()).toContain('"msg":"database ready"');
    expect(server.output()).toContain('"msg":"listening"');
  });

  it("write a single quiet request's line within the flush interval, not once a batch has piled up", async () => {
    const requestId = `batched-${Date.now()}`;
    const res = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": requestId } });
    expect(res.status).toBe(200);
    const line = await lineWithin(requestId, 3_000);
    expect(line, "the request line").toBeDefined();
    expect(JSON.parse(line ?? "{}")).toMatchObject({ msg: "request", path: "/healthz", status: 200, requestId });
  });

  it("write what is still buffered when the process stops", async () => {
    const requestId = `last-${Date.now()}`;
    await fetch(`${server.url}/healthz`, { headers: { "x-request-id": requestId } });
    server.child.kill("SIGTERM");
    await exitWithin(server, 60_000);
    expect(lineOf(server.output(), requestId), "the last request's line").toBeDefined();
    expect(server.output()).toContain('"msg":"stopped"');
  }, 90_000);
});
