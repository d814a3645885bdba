import { z } from "zod";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonResponse } from "../../lib/route.ts";

const Health = z.object({ status: z.enum(["ok", "unavailable"]) });

/** A database that does not answer within this time counts as unreachable: /readyz must answer promptly. */
export const READY_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  // A ping that settles after the timeout must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const healthRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/healthz",
      tags: ["Operations"],
      summary: "The process is alive",
      responses: { 200: jsonResponse(Health) },
    }),
    (c) => c.json({ status: "ok" as const }, 200),
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/readyz",
      tags: ["Operations"],
      summary: "The database is reachable",
      responses: { 200: jsonResponse(Health), 503: jsonResponse(Health, "Database unreachable") },
    }),
    async (c) => {
      if (c.get("deps").isDraining?.()) return c.json({ status: "unavailable" as const }, 503);
      try {
        await withTimeout(c.get("deps").ping(), READY_TIMEOUT_MS);
        return c.json({ status: "ok" as const }, 200);
      } catch (error) {
        c.get("log").warn({ err: error }, "readiness check failed");
        return c.json({ status: "unavailable" as const }, 503);
      }
    },
  );
