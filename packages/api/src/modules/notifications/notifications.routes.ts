import { queryInteger } from "@samakki/shared/common";
import { NotificationPage } from "@samakki/shared/notifications";
import { z } from "zod";
import { Cursor } from "../../lib/cursor.ts";
import { pathId } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonResponse, noContent } from "../../lib/route.ts";
import { currentPerson } from "../../lib/service-context.ts";
import { listNotifications, markRead } from "./notifications.service.ts";

const tags = ["Notifications"];
const personId = (c: Parameters<typeof currentPerson>[0]) => currentPerson(c).id;

export const notificationRoutes = createRouter()
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "get",
      path: "/api/notifications",
      tags,
      summary: "Your notifications, newest first, with the unread count",
      request: {
        query: z.strictObject({
          cursor: Cursor.optional(),
          limit: queryInteger(1, 100).default(30),
          unread: z.enum(["true", "false"]).optional(),
        }),
      },
      responses: { 200: jsonResponse(NotificationPage) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(
        await listNotifications(c.get("deps").db, personId(c), { cursor: q.cursor, limit: q.limit, unreadOnly: q.unread === "true" }),
        200,
      );
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "put",
      path: "/api/notifications/{notificationId}/read",
      tags,
      summary: "Mark one notification read",
      description: "Idempotent: marking a notification read again changes nothing.",
      request: { params: z.object({ notificationId: pathId }) },
      responses: { 204: noContent },
    }),
    async (c) => {
      await markRead(c.get("deps").db, personId(c), c.req.valid("param").notificationId);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "post",
      path: "/api/notifications/read-all",
      tags,
      summary: "Mark every notification read",
      responses: { 204: noContent },
    }),
    async (c) => {
      await markRead(c.get("deps").db, personId(c), "all");
      return c.body(null, 204);
    },
  );
