import { z } from "zod";
import { Id, IsoDateTime } from "./common.ts";

export const Notification = z.object({
  id: Id,
  kind: z.string(),
  /** Catalog key of the text to show, with its parameters. */
  messageKey: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  link: z.string().nullable(),
  coalitionId: Id.nullable(),
  readAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type Notification = z.infer<typeof Notification>;

export const NotificationPage = z.object({
  items: z.array(Notification),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;
