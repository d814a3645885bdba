import { z } from "zod";
import { coalitionParams } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonResponse } from "../../lib/route.ts";
import { listDeadEmails } from "./outbox.ts";

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

/** Emails the outbox gave up on, so coordinators can see who did not get what (docs/security.md §13). */
export const outboxRoutes = createRouter().openapi(
  defineRoute(policies.coordinator(), {
    method: "get",
    path: "/api/coalitions/{coalitionId}/outbox/dead",
    tags: ["Email"],
    summary: `The coalition's emails that could not be delivered, newest first (coordinators; at most ${LIMIT}, with the total count)`,
    request: { params: coalitionParams },
    responses: { 200: jsonResponse(z.object({ count: z.number().int(), items: z.array(DeadEmail) })) },
  }),
  async (c) => {
    return c.json(await listDeadEmails(c.get("deps").db, c.get("coalition").coalitionId, LIMIT), 200);
  },
);
