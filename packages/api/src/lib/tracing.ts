import type { Span, Tracer } from "@opentelemetry/api";
import type { Context, Next } from "hono";
import type { LogEvent } from "kysely";
import type { Config } from "../config.ts";
import type { AppEnv } from "./context.ts";
import { loggablePath } from "./request-log.ts";
import { routePattern } from "./request-meta.ts";

/**
 * OpenTelemetry traces (issue 12, item 7): a server span per request, named by its route
 * pattern, and a client span per SQL query under it, exported over OTLP/HTTP in batches.
 */
export interface Tracing {
  /** Run the rest of the request inside a server span (W3C traceparent from the caller continued). */
  traceRequest(c: Context<AppEnv>, next: Next): Promise<void>;
  /** One SQL span, from Kysely's log event: it started queryDurationMillis ago and ends now. */
  traceQuery(event: LogEvent): void;
  /** The active trace and span ids, for every log line (pino's mixin); empty outside a span. */
  logFields(): { trace_id?: string; span_id?: string };
  /** Export the spans still buffered. */
  shutdown(): Promise<void>;
}

/**
 * Start tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise undefined, and no
 * OpenTelemetry package is even loaded: every import below is dynamic (the server bundle keeps
 * them as `import()`), and this file's static imports are types only.
 */
export async function startTracing(config: Config): Promise<Tracing | undefined> {
  const { endpoint, serviceName } = config.tracing;
  if (!endpoint) return undefined;
  const [api, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { resourceFromAttributes }, sdk, { OTLPTraceExporter }] =
    await Promise.all([
      import("@opentelemetry/api"),
      import("@opentelemetry/context-async-hooks"),
      import("@opentelemetry/core"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/sdk-trace"),
      import("@opentelemetry/exporter-trace-otlp-http"),
    ]);
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    // Sampling: the caller's decision when it sends one, every trace otherwise.
    sampler: new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
    // The endpoint is the OTLP base URL (as the variable's specification says); traces go to /v1/traces.
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }) })],
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  const tracer: Tracer = provider.getTracer("samakki");
  const { SpanKind, SpanStatusCode } = api;
  const headerGetter = {
    keys: (carrier: Context<AppEnv>) => Object.keys(carrier.req.header()),
    get: (carrier: Context<AppEnv>, key: string) => carrier.req.header(key),
  };

  return {
    traceRequest(c, next) {
      const parent = api.propagation.extract(api.context.active(), c, headerGetter);
      return tracer.startActiveSpan(c.req.method, { kind: SpanKind.SERVER }, parent, async (span: Span) => {
        try {
          await next();
        } finally {
          const route = routePattern(c);
          const status = c.res.status;
          span.updateName(`${c.req.method} ${route}`);
          span.setAttributes({
            "http.request.method": c.req.method,
            "http.route": route,
            // The pattern instead of the path when the path holds a single-use token.
            "url.path": loggablePath(c),
            "http.response.status_code": status,
          });
          if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
      });
    },
    traceQuery(event) {
      const end = performance.timeOrigin + performance.now();
      const span = tracer.startSpan("sql", {
        kind: SpanKind.CLIENT,
        startTime: end - event.queryDurationMillis,
        attributes: { "db.system.name": "postgresql", "db.query.text": event.query.sql },
      });
      if (event.level === "error") span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(end);
    },
    logFields() {
      const span = api.trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
    shutdown: () => provider.shutdown(),
  };
}
