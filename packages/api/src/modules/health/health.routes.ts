import { z } from "zod";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonResponse } from "../../lib/route.ts";

const Health = z.object({ status: z.enum(["ok", "unavailable"]) });

export const healthRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), { method: "get", path: "/healthz", tags: ["Operations"], summary: "The process is alive", responses: { 200: jsonResponse(Health) } }),
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
      try {
        await c.get("deps").ping();
        return c.json({ status: "ok" as const }, 200);
      } catch (error) {
        c.get("log").warn({ err: error }, "readiness check failed");
        return c.json({ status: "unavailable" as const }, 503);
      }
    },
  );
