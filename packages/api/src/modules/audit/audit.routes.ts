import { AuditPage, AuditQuery } from "@samakki/shared/audit";
import { translate } from "@samakki/shared/i18n/index";
import { validationFailed } from "../../lib/errors.ts";
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
  async (c) => {
    const q = c.req.valid("query");
    // A cursor we did not issue is bad input, not "start again from the newest".
    if (q.cursor !== undefined && !/^\d{1,18}$/.test(q.cursor))
      throw validationFailed([{ path: "query.cursor", message: translate(c.get("lang"), "validation.invalid") }]);
    return c.json(await listAuditLog(coalitionCtx(c), q, c.get("lang")), 200);
  },
);
