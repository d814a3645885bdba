import { Dashboard } from "@samakki/shared/dashboard";
import { coalitionParams } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonResponse } from "../../lib/route.ts";
import { coalitionCtx } from "../../lib/service-context.ts";
import { getDashboard } from "./dashboard.service.ts";

export const dashboardRoutes = createRouter().openapi(
  defineRoute(policies.coalitionMember(), {
    method: "get",
    path: "/api/coalitions/{coalitionId}/dashboard",
    tags: ["Dashboard"],
    summary:
      "The day's work: my and my organisations' open tasks (overdue first), votes waiting for our ballot, overdue tasks across the coalition (coordinators), active campaigns' progress, latest updates",
    request: { params: coalitionParams },
    responses: { 200: jsonResponse(Dashboard) },
  }),
  async (c) => c.json(Dashboard.parse(await getDashboard(coalitionCtx(c))), 200),
);
