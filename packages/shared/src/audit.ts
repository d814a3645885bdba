import { z } from "zod";
import { Id, IsoDateTime, OrganisationRef, queryInteger } from "./common.ts";

/**
 * Every action the API records in the audit log: the single list the log's filter, its sentences
 * (`auditLog.sentence.<action with _>` in both catalogs) and the API's calls are checked against
 * (packages/api/src/modules/audit/__tests__/audit-actions.test.ts).
 */
export const AUDIT_ACTIONS = [
  "coalition.setup",
  "coalition.created",
  "coalition.export",
  "coalition.update",
  "coalition.organisation_invited",
  "coalition.invitation_accepted",
  "coalition.member_status",
  "coalition.coordinator_appointed",
  "coalition.coordinator_removed",
  "invitation.revoked",
  "organisation.update",
  "organisation.person_invited",
  "organisation.invitation_accepted",
  "organisation.person_updated",
  "organisation.person_removed",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "auth.password_change",
  "auth.password_reset",
  "auth.password_reset_requested",
  "auth.password_reset_refused",
  "auth.two_factor_enabled",
  "auth.two_factor_disabled",
  "auth.two_factor_failed",
  "auth.recovery_codes_regenerated",
  "auth.passkey_added",
  "auth.passkey_renamed",
  "auth.passkey_removed",
  "person.email_change",
  "person.email_change_undone",
  "session.revoke",
  "session.revoke_others",
  "campaign.create",
  "campaign.status",
  "campaign.owners",
  "campaign.participants",
  "campaign.renamed",
  "campaign.update_removed",
  "task.assign",
  "task.delegate",
  "task.export",
  "statement.publish",
  "statement.withdraw",
  "vote.open",
  "vote.close",
  "vote.cancel",
  "ballot.cast",
  "ballot.change",
  "petition.created",
  "petition.updated",
  "petition.closed",
  "petition.paper_sheet",
  "petition.paper_sheet_corrected",
  "petition.signers_exported",
  "petition.personal_data_deleted",
  "signup.confirmed_by_phone",
  "signup.removed",
  "signups.erased_after_event",
  "metric.contribution",
  "metric.contribution_corrected",
  "letter.recorded",
  "letter.updated",
  "letter.reply_recorded",
  "letter.reply_corrected",
  "letter_action.created",
  "letter_action.updated",
  "letter_target.created",
  "letter_target.updated",
  "letter_target.archived",
  "letter_target.restored",
  "letter_target.imported",
  "calendar_feed.created",
  "calendar_feed.rotated",
  "calendar_feed.revoked",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isAuditAction = (value: string): value is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(value);

/** The catalog key of an action's sentence: `auditLog.sentence.ballot_cast`. */
export const auditSentenceKey = (action: AuditAction) => `auditLog.sentence.${action.replaceAll(".", "_")}` as const;
/** The catalog key of an action's short name (the filter's options): `auditLog.action.ballot_cast`. */
export const auditActionKey = (action: AuditAction) => `auditLog.action.${action.replaceAll(".", "_")}` as const;

/** Something an event names (its target, or a value in its changes), as far as the reader may see it. */
export const AuditRef = z.object({
  type: z.string(),
  id: z.string(),
  /** The name or title; null when it no longer exists or is outside the reader's coalition. */
  label: z.string().nullable(),
  /** For a vote: its statement (the page that shows it); for a petition: its campaign. */
  parentId: z.string().nullable(),
});
export type AuditRef = z.infer<typeof AuditRef>;

export const AuditEvent = z.object({
  id: z.string(),
  action: z.string(),
  actor: z
    .object({
      id: Id,
      displayName: z.string(),
      /** The actor's organisation inside the reader's coalition (the first by name), if any. */
      organisation: OrganisationRef.nullable(),
    })
    .nullable(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  target: AuditRef.nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  /** The organisations and people the changes mention by id, named (resolved for the whole page at once). */
  mentions: z.array(AuditRef),
  createdAt: IsoDateTime,
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditPage = z.object({ items: z.array(AuditEvent), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditQuery = z.strictObject({
  // Free text, not the enum: an action recorded before it was renamed still filters (and an unknown one finds nothing).
  action: z.string().max(80).optional(),
  actorId: Id.optional(),
  /** The id of the last event of the previous page (the audit log pages on its bigint id); anything else is a 400. */
  cursor: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
  limit: queryInteger(1, 100).default(50),
});
