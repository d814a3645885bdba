import { z } from "zod";
import { policies } from "../../lib/policy.ts";
import { requestLog } from "../../lib/request-log.ts";
import { createRouter, defineRoute, jsonResponse } from "../../lib/route.ts";
import { LIVENESS_REFRESH_MS, readinessMonitor } from "./readiness.ts";

const Health = z.object({ status: z.enum(["ok", "unavailable"]) });

export { READY_TIMEOUT_MS } from "./readiness.ts";

export const healthRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/healthz",
      tags: ["Operations"],
      summary: "The process is alive",
      description:
        "Fails (503) once the readiness check has failed without interruption for 30 s, so that a supervisor restarts a process that stays wedged. Answers at once: the check it starts runs in the background.",
      responses: { 200: jsonResponse(Health), 503: jsonResponse(Health, "Not ready for 30 s or more") },
    }),
    (c) => {
      const monitor = readinessMonitor(c.get("deps"));
      // Keep the record current (within a second) even when nothing polls /readyz; never wait for it here.
      monitor.refresh(LIVENESS_REFRESH_MS);
      if (monitor.wedged()) {
        requestLog(c)?.error({ failingSince: monitor.failingSince }, "not ready for 30 s: liveness check fails");
        return c.json({ status: "unavailable" as const }, 503);
      }
      return c.json({ status: "ok" as const }, 200);
    },
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
      const result = await readinessMonitor(c.get("deps")).check();
      if (result.ok) return c.json({ status: "ok" as const }, 200);
      requestLog(c)?.warn({ err: result.error }, "readiness check failed");
      return c.json({ status: "unavailable" as const }, 503);
    },
  );
