import { AuditEvent, AuditQuery } from "@samakki/shared/audit";
import { translate } from "@samakki/shared/i18n/index";
import { sql } from "kysely";
import { z } from "zod";
import { validationFailed } from "../../lib/errors.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonResponse } from "../../lib/route.ts";

const tags = ["Audit"];

export const auditRoutes = createRouter().openapi(
  defineRoute(policies.coordinator(), {
    method: "get",
    path: "/api/coalitions/{coalitionId}/audit",
    tags,
    summary: "The coalition's audit log, newest first (coordinators)",
    request: { params: z.object({ coalitionId: z.string() }), query: AuditQuery },
    responses: { 200: jsonResponse(z.object({ items: z.array(AuditEvent), nextCursor: z.string().nullable() })) },
  }),
  async (c) => {
    const { db } = c.get("deps");
    const coalitionId = c.get("coalition").coalitionId;
    const q = c.req.valid("query");
    // A cursor we did not issue is bad input, not "start again from the newest".
    if (q.cursor !== undefined && !/^\d{1,18}$/.test(q.cursor))
      throw validationFailed([{ path: "query.cursor", message: translate(c.get("lang"), "validation.invalid") }]);
    const cursor = q.cursor;
    // The coalition's own events, and those of its member organisations (people, roles, representatives).
    let query = db
      .selectFrom("audit_event as e")
      .leftJoin("person as p", "p.id", "e.actor_id")
      .where((eb) =>
        eb.or([
          eb("e.coalition_id", "=", coalitionId),
          eb.and([
            eb("e.coalition_id", "is", null),
            eb("e.target_type", "=", "organisation"),
            eb(
              "e.target_id",
              "in",
              eb.selectFrom("coalition_member").where("coalition_id", "=", coalitionId).select(sql<string>`organisation_id::text`.as("id")),
            ),
          ]),
        ]),
      )
      .select([
        sql<string>`e.id::text`.as("id"),
        "e.action",
        "e.actor_id",
        "p.display_name",
        "e.target_type",
        "e.target_id",
        "e.before",
        "e.after",
        "e.created_at",
      ])
      .orderBy("e.id", "desc")
      .limit(q.limit + 1);
    if (q.action) query = query.where("e.action", "=", q.action);
    if (q.actorId) query = query.where("e.actor_id", "=", q.actorId);
    if (cursor) query = query.where(sql<boolean>`e.id < ${cursor}::bigint`);
    const rows = await query.execute();
    const page = rows.slice(0, q.limit);
    return c.json(
      {
        items: page.map((r) => ({
          id: r.id,
          action: r.action,
          actor: r.actor_id ? { id: r.actor_id, displayName: r.display_name ?? "" } : null,
          targetType: r.target_type,
          targetId: r.target_id,
          before: r.before ?? null,
          after: r.after ?? null,
          createdAt: r.created_at.toISOString(),
        })),
        nextCursor: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
      },
      200,
    );
  },
);
