import { z } from "zod";
import { coalitionParams } from "../../lib/params.ts";
import { policies, requireRecentAuth } from "../../lib/policy.ts";
import { createRouter, defineRoute } from "../../lib/route.ts";
import { coalitionCtx } from "../../lib/service-context.ts";
import { exportCoalition } from "./export.service.ts";

export const exportRoutes = createRouter().openapi(
  defineRoute(
    policies.coordinator(),
    {
      method: "get",
      path: "/api/coalitions/{coalitionId}/export.zip",
      tags: ["Coalitions"],
      summary: "All of the coalition's data as JSON and CSV in a zip (coordinators; recent authentication; audited)",
      request: { params: coalitionParams },
      responses: { 200: { description: "application/zip", content: { "application/zip": { schema: z.string() } } } },
    },
    { recentAuth: requireRecentAuth },
  ),
  async (c) => {
    const { filename, body } = await exportCoalition(coalitionCtx(c));
    return c.body(body, 200, {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    });
  },
);
