import { AuditPage, AuditQuery } from "@samakki/shared/audit";
import { coalitionParams } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonResponse } from "../../lib/route.ts";
import { coalitionCtx } from "../../lib/service-context.ts";
import { listAuditLog } from "./audit-log.service.ts";

const tags = ["Audit"];

export const auditRoutes = createRouter().openapi(
  defineRoute(policies.coordinator(), {
    method: "get",
    path: "/api/coalitions/{coalitionId}/audit",
    tags,
    summary: "The coalition's audit log, newest first (coordinators)",
    request: { params: coalitionParams, query: AuditQuery },
    responses: { 200: jsonResponse(AuditPage) },
  }),
  async (c) => c.json(await listAuditLog(coalitionCtx(c), c.req.valid("query"), c.get("lang")), 200),
);
