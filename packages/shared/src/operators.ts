import { z } from "zod";
import { Email, Id, IsoDateTime, LanguageSchema, SecondName, singleLine, TimeZone } from "./common.ts";

/**
 * What an instance operator sees of a coalition: its name, id, status and counts, never its
 * content (operators do not see inside coalitions they are not members of).
 */
export const OperatorCoalition = z.object({
  id: Id,
  name: z.string(),
  /** Its name in the other language, shown to a reader of that one. */
  secondName: SecondName.nullable(),
  slug: z.string(),
  createdAt: IsoDateTime,
  /** `pending`: its first coordinator has not accepted yet; `deletion_scheduled`: it will be deleted at `deletionDueAt`. */
  status: z.enum(["active", "pending", "deletion_scheduled"]),
  deletionDueAt: IsoDateTime.nullable(),
  organisations: z.number().int(),
  coordinators: z.number().int(),
});
export type OperatorCoalition = z.infer<typeof OperatorCoalition>;

/** An operator creates a coalition with the organisation of its first coordinator, who is invited by email. */
export const CreateCoalitionInput = z.strictObject({
  coalitionName: singleLine(2, 160),
  timeZone: TimeZone.default("Asia/Phnom_Penh"),
  organisationName: singleLine(2, 160),
  coordinatorEmail: Email,
  language: LanguageSchema.default("en"),
});
export type CreateCoalitionInput = z.infer<typeof CreateCoalitionInput>;

export const CreatedCoalition = z.object({ coalitionId: Id, organisationId: Id, invitationId: Id });

/** A coalition's scheduled deletion, as its members and the operators see it. */
export const CoalitionDeletion = z.object({ dueAt: IsoDateTime.nullable() });
export type CoalitionDeletion = z.infer<typeof CoalitionDeletion>;

/** Days between scheduling a coalition's deletion and carrying it out; cancellable until then. */
export const DELETION_GRACE_DAYS = 30;
