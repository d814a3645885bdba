import { z } from "zod";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonResponse } from "../../lib/route.ts";

const LIMIT = 100;

const DeadEmail = z
  .object({
    id: z.uuid(),
    to: z.string(),
    template: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi("DeadEmail");

/** Emails the outbox gave up on, so coordinators can see who did not get what (security.md, "Reliability"). */
export const outboxRoutes = createRouter().openapi(
  defineRoute(policies.coordinator(), {
    method: "get",
    path: "/api/coalitions/{coalitionId}/outbox/dead",
    tags: ["Email"],
    summary: `The coalition's emails that could not be delivered, newest first (coordinators; at most ${LIMIT}, with the total count)`,
    request: { params: z.object({ coalitionId: z.string() }) },
    responses: { 200: jsonResponse(z.object({ count: z.number().int(), items: z.array(DeadEmail) })) },
  }),
  async (c) => {
    const { db } = c.get("deps");
    const coalitionId = c.get("coalition").coalitionId;
    const dead = db.selectFrom("outbox_email").where("coalition_id", "=", coalitionId).where("status", "=", "dead");
    const [total, rows] = await Promise.all([
      dead.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
      dead
        .select(["id", "to_address", "template", "attempts", "last_error", "created_at"])
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(LIMIT)
        .execute(),
    ]);
    return c.json(
      {
        count: Number(total.n),
        items: rows.map((r) => ({
          id: r.id,
          to: r.to_address,
          template: r.template,
          attempts: r.attempts,
          lastError: r.last_error,
          createdAt: r.created_at.toISOString(),
        })),
      },
      200,
    );
  },
);
