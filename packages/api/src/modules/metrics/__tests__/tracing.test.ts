import { createServer } from "node:http";
import { Writable } from "node:stream";
import { context, propagation, trace } from "@opentelemetry/api";
import { sql } from "kysely";
import { describe, expect, it, onTestFinished } from "vitest";
import { buildTestApp, TestClient } from "../../../../test/app.ts";
import { createApp } from "../../../app.ts";
import { loadConfig } from "../../../config.ts";
import { createDatabase } from "../../../db/client.ts";
import { createLogger } from "../../../lib/logger.ts";
import { startTracing } from "../../../lib/tracing.ts";

type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
};
type OtlpBody = { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };

/** A stand-in OTLP/HTTP collector: keeps what is posted to /v1/traces. */
async function collector() {
  const bodies: { path: string | undefined; body: OtlpBody }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      bodies.push({ path: req.url, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpBody });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("expected a TCP address");
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${address.port}/`, bodies };
}

describe("tracing", () => {
  it("is off without OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    expect(await startTracing(loadConfig({ NODE_ENV: "test" }))).toBeUndefined();
  });

  it("exports HTTP → SQL spans over OTLP, continuing the caller's trace, and puts the trace id on log lines", async () => {
    const otlp = await collector();
    const tracing = await startTracing(loadConfig({ NODE_ENV: "test", OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url }));
    if (!tracing) throw new Error("tracing should be on");
    // Also when the test fails: stop exporting, and leave no global context manager, propagator or
    // tracer provider behind for the next file in this worker (--no-isolate).
    onTestFinished(async () => {
      await tracing.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });
    const ctx = await buildTestApp();
    // The same database, through a handle that reports its queries to tracing (as createDeps does).
    const traced = createDatabase({ url: ctx.handle.url, pglite: ctx.handle.pglite, onQuery: tracing.traceQuery });
    if (traced.engine === "postgres") onTestFinished(() => traced.close());
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger("info", sink, tracing.logFields);
    const app = createApp({
      ...ctx.deps,
      db: traced.db,
      logger,
      tracing,
      ping: async () => {
        await sql`select 1 as traced_ping`.execute(traced.db);
      },
    });

    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await new TestClient(app).request("GET", "/readyz", undefined, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(res.status).toBe(200);
    await tracing.shutdown();

    expect(otlp.bodies.map((b) => b.path)).toContain("/v1/traces");
    const spans = otlp.bodies.flatMap((b) => b.body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
    const server = spans.find((s) => s.name === "GET /readyz");
    expect(server?.traceId).toBe(traceId);
    expect(server?.parentSpanId).toBe("00f067aa0ba902b7");
    const query = spans.find((s) => s.name === "sql" && JSON.stringify(s.attributes).includes("traced_ping"));
    expect(query?.traceId).toBe(traceId);
    expect(query?.parentSpanId).toBe(server?.spanId);
    const requestLine = lines.find((line) => line.msg === "request" && line.path === "/readyz");
    expect(requestLine?.trace_id).toBe(traceId);
  });
});
