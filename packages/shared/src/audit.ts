import { z } from "zod";
import { Id, IsoDateTime } from "./common.ts";

export const AuditEvent = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.object({ id: Id, displayName: z.string() }).nullable(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  createdAt: IsoDateTime,
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = z.strictObject({
  action: z.string().max(80).optional(),
  actorId: Id.optional(),
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
