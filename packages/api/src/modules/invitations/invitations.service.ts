import type { InvitationPreview } from "@samakki/shared/coalitions";
import type { Language } from "@samakki/shared/i18n/index";
import { secondNameOf } from "@samakki/shared/names";
import * as paths from "@samakki/shared/paths";
import { Constraint, uniqueViolation } from "../../db/errors.ts";
import type { AppDeps, CurrentPerson } from "../../lib/context.ts";
import { generateToken, hashToken, sha256Hex } from "../../lib/crypto.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { DAY, isoTime } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { assertStrongPassword } from "../auth/passwords.ts";
import { giveBack, keyedCounter, LIMITS, take } from "../auth/rate-limit.ts";
import { createSession } from "../auth/sessions.service.ts";
import { enqueueEmail } from "../email/outbox.ts";
import { notify } from "../notifications/notifications.service.ts";
import { localOrganisationName } from "../organisations/organisation-ref.ts";
import { insertOrganisation } from "../organisations/organisations.repository.ts";
import { assertNamesFree } from "../organisations/organisations.service.ts";
import { coalitionName } from "../public-site/public-site.service.ts";
import * as repo from "./invitations.repository.ts";

export const INVITATION_TTL = 7 * DAY;
const INVITATION_WINDOW_SECONDS = 60 * 60;

/**
 * Invitations send email to an address that has not asked for it, so each is counted first, per
 * address within the inviting organisation or coalition (`scopeId`) and per inviter, per hour; over
 * either, 429 and nothing sent. The address is counted per scope, not instance-wide: a refusal then
 * tells the inviter nothing of what another organisation or coalition sends. Counted
 * inside the invitation's transaction: a parallel invitation of the same address or by the same
 * person waits on the counter's row until this one commits or rolls back, so each sees the true
 * count, and an invitation that fails for any reason (over the limit, already a member, a name
 * taken) takes nothing from the allowance.
 */
async function takeInvitationAllowance(db: Executor, actorId: string, scopeId: string, email: string) {
  await take(
    db,
    [
      { key: `invitation:to:${scopeId}:${sha256Hex(email)}`, limit: LIMITS.invitationsToAddress },
      { key: `invitation:by:${actorId}`, limit: LIMITS.invitationsByPerson },
    ],
    INVITATION_WINDOW_SECONDS,
  );
}

/** A coordinator invites an organisation: it is created as `invited`, and its contact gets a link to become its admin. */
export async function inviteOrganisation(
  deps: AppDeps,
  actor: CurrentPerson,
  coalitionId: string,
  input: { organisationName: string; shortName?: string | undefined; contactEmail: string; language: Language },
) {
  const token = generateToken(20);
  return withTransaction(deps.db, async (trx) => {
    await takeInvitationAllowance(trx, actor.id, coalitionId, input.contactEmail);
    const coalition = await repo.coalitionNameAndZone(trx, coalitionId);
    // Names are unique within the coalition (checked under the coalition's lock; see assertNamesFree).
    await assertNamesFree(trx, {
      coalitionIds: [coalitionId],
      organisationId: null,
      name: { value: input.organisationName, path: "organisationName" },
      shortName: input.shortName ? { value: input.shortName, path: "shortName" } : undefined,
    });
    const organisation = await insertOrganisation(trx, {
      name: input.organisationName,
      shortName: input.shortName || null,
      contactEmail: input.contactEmail,
    });
    await repo.insertInvitedMember(trx, coalitionId, organisation.id);
    const expiresAt = new Date(Date.now() + INVITATION_TTL);
    const invitation = await repo.insertInvitation(trx, {
      kind: "organisation",
      tokenHash: hashToken(token),
      email: input.contactEmail,
      coalitionId,
      organisationId: organisation.id,
      role: "admin",
      language: input.language,
      invitedBy: actor.id,
      expiresAt,
    });
    await enqueueEmail(trx, {
      to: input.contactEmail,
      language: input.language,
      coalitionId,
      message: {
        template: "invitation_organisation",
        data: {
          // Named in the email's language (the coalition's second name, when it is in that language).
          coalition: coalitionName(coalition, input.language),
          organisation: input.organisationName,
          inviter: await repo.displayName(trx, actor.id),
          url: `${deps.config.publicUrl}${paths.invitation(token)}`,
          expiresAt: isoTime(expiresAt),
          timeZone: coalition.time_zone,
        },
      },
    });
    await recordAudit(trx, {
      coalitionId,
      actorId: actor.id,
      action: "coalition.organisation_invited",
      targetType: "organisation",
      targetId: organisation.id,
      after: { name: input.organisationName, email: input.contactEmail, invitationId: invitation.id, status: "invited" },
    });
    return { organisationId: organisation.id, invitationId: invitation.id };
  });
}

/** An organisation admin invites a person by email (single use, 7 days, revocable; a new one replaces the earlier link). */
export async function invitePerson(
  deps: AppDeps,
  actor: CurrentPerson,
  organisationId: string,
  input: { email: string; role: "admin" | "member"; displayName?: string | undefined; language?: Language | undefined },
) {
  const token = generateToken(20);
  return withTransaction(deps.db, async (trx) => {
    await repo.lockInvitee(trx, organisationId, input.email);
    await takeInvitationAllowance(trx, actor.id, organisationId, input.email);
    const organisation = await repo.organisationName(trx, organisationId);
    if (await repo.isMemberByEmail(trx, organisationId, input.email))
      throw new AppError("already_member", "already a member", { fieldErrors: [{ path: "email", message: "already a member" }] });
    // Inviting again replaces the earlier link: one live invitation per address and organisation.
    const replaced = await repo.revokeEarlierPersonInvitations(trx, organisationId, input.email);
    const invitee = await repo.accountByEmail(trx, input.email);
    const timeZone = await repo.organisationTimeZone(trx, organisationId);
    const expiresAt = new Date(Date.now() + INVITATION_TTL);
    const invitation = await repo.insertInvitation(trx, {
      kind: "person",
      tokenHash: hashToken(token),
      email: input.email,
      coalitionId: null,
      organisationId,
      role: input.role,
      displayName: input.displayName ?? null,
      language: input.language ?? null,
      invitedBy: actor.id,
      expiresAt,
    });
    // An existing account's own choice first; else the language the inviter gave; else the inviter's.
    const language = invitee?.language ?? input.language ?? actor.language;
    await enqueueEmail(trx, {
      to: input.email,
      language,
      message: {
        template: "invitation_person",
        data: {
          organisation: localOrganisationName(organisation, language),
          inviter: await repo.displayName(trx, actor.id),
          url: `${deps.config.publicUrl}${paths.invitation(token)}`,
          expiresAt: isoTime(expiresAt),
          timeZone: timeZone ?? "Asia/Phnom_Penh",
        },
      },
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: "organisation.person_invited",
      targetType: "organisation",
      targetId: organisationId,
      after: {
        email: input.email,
        role: input.role,
        invitationId: invitation.id,
        ...(replaced.length > 0 ? { replaced } : {}),
        ...(input.displayName ? { displayName: input.displayName } : {}),
      },
    });
    return {
      id: invitation.id,
      email: input.email,
      displayName: input.displayName ?? null,
      language: input.language ?? null,
      role: input.role,
      expiresAt: isoTime(expiresAt),
      createdAt: isoTime(invitation.created_at),
    };
  });
}

export async function previewInvitation(db: Executor, token: string): Promise<InvitationPreview> {
  const row = await repo.findUsable(db, hashToken(token));
  if (!row) throw new AppError("invitation_invalid");
  const account = await repo.accountByEmail(db, row.email);
  return {
    kind: row.kind,
    coordinator: row.grants_coordinator,
    email: row.email,
    coalitionName: row.coalition_name,
    coalitionSecondName: secondNameOf(row.coalition_second_name, row.coalition_second_name_language),
    organisationName: row.organisation_name,
    organisationSecondName: secondNameOf(row.organisation_second_name, row.organisation_second_name_language),
    expiresAt: isoTime(row.expires_at),
    accountExists: Boolean(account),
    displayName: row.display_name,
    language: row.language,
  };
}

/**
 * Accept an invitation. Signed in: the account's email must be the invited one. Signed out:
 * a new account is created for the invited email (the link proves the address); if that
 * email already has an account, the person must sign in first. The invitation row is locked,
 * so it is used once even when accepted twice at the same moment.
 */
export async function acceptInvitation(
  deps: AppDeps,
  token: string,
  current: CurrentPerson | null,
  input: { displayName?: string | undefined; password?: string | undefined; language?: Language | undefined },
  userAgent: string,
  address = "unknown",
) {
  if (!current && input.password) assertStrongPassword(input.password);
  // Counted before the token is looked up (one atomic statement), per source address, so a burst of
  // guessed links cannot exceed the limit; an accepted invitation gives its count back.
  const limitKey = keyedCounter(deps.config, "invitation:address", address);
  await take(deps.db, [{ key: limitKey, limit: LIMITS.invitation }]);
  const passwordHash = !current && input.password ? await deps.passwords.hash(input.password) : null;
  try {
    const accepted = await withTransaction(deps.db, async (trx) => {
      const invitation = await repo.findUsable(trx, hashToken(token), true);
      if (!invitation) throw new AppError("invitation_invalid");
      let personId: string;
      let created: Awaited<ReturnType<typeof createSession>> | null = null;
      if (current) {
        if (current.email !== invitation.email) throw new AppError("invitation_email_mismatch");
        personId = current.id;
      } else {
        const existing = await repo.accountByEmail(trx, invitation.email);
        if (existing) throw new AppError("unauthenticated", "sign in to accept");
        // The name the inviter gave stands unless the person gives their own.
        const displayName = input.displayName ?? invitation.display_name;
        const missing = [
          ...(displayName ? [] : [{ path: "displayName", message: "validation.required" }]),
          ...(passwordHash ? [] : [{ path: "password", message: "validation.required" }]),
        ];
        if (missing.length > 0 || !displayName || !passwordHash)
          throw new AppError("validation_failed", "account fields", { fieldErrors: missing });
        const person = await repo.insertPerson(trx, {
          email: invitation.email,
          displayName,
          language: input.language ?? invitation.language ?? "en",
          passwordHash,
        });
        personId = person.id;
        created = await createSession(trx, deps.config, personId, userAgent);
      }
      await repo.addMembership(trx, invitation.organisation_id, personId, invitation.role);
      await repo.markAccepted(trx, invitation.id, personId);
      if (invitation.kind === "organisation" && invitation.coalition_id) {
        await repo.activateInvitedMember(trx, invitation.coalition_id, invitation.organisation_id);
        // An operator's invitation of a coalition's first coordinator (modules/operators).
        if (invitation.grants_coordinator) await repo.grantCoordinator(trx, invitation.coalition_id, personId);
        const coordinators = await repo.coordinatorIds(trx, invitation.coalition_id);
        const link = paths.members(invitation.coalition_id);
        await notify(
          trx,
          coordinators.map((co) => ({
            personId: co.person_id,
            coalitionId: invitation.coalition_id,
            kind: "organisation_joined",
            messageKey: "notifications.organisation_joined",
            params: { organisation: invitation.organisation_name },
            link,
          })),
        );
      }
      await recordAudit(trx, {
        coalitionId: invitation.coalition_id,
        actorId: personId,
        action: invitation.kind === "organisation" ? "coalition.invitation_accepted" : "organisation.invitation_accepted",
        targetType: "organisation",
        targetId: invitation.organisation_id,
        after: {
          personId,
          role: invitation.role,
          invitationId: invitation.id,
          ...(invitation.kind === "organisation" ? { status: "active" } : {}),
          ...(invitation.grants_coordinator ? { coordinator: true } : {}),
        },
      });
      return { personId, session: created, coalitionId: invitation.coalition_id, organisationId: invitation.organisation_id };
    });
    await giveBack(deps.db, limitKey);
    return accepted;
  } catch (error) {
    // Two invitations for one new email accepted at once: the second finds the account taken.
    if (uniqueViolation(error) === Constraint.personEmail) throw new AppError("conflict", "account created concurrently");
    throw error;
  }
}

export async function revokeInvitation(
  deps: AppDeps,
  actor: CurrentPerson,
  scope: { organisationId?: string; coalitionId?: string },
  invitationId: string,
) {
  await withTransaction(deps.db, async (trx) => {
    const row = await repo.revokePending(trx, invitationId, scope);
    if (!row) throw notFound("invitation");
    await recordAudit(trx, {
      coalitionId: row.coalition_id,
      actorId: actor.id,
      action: "invitation.revoked",
      targetType: "organisation",
      targetId: row.organisation_id,
      before: { invitationId: row.id, email: row.email },
    });
  });
}

/** An organisation's pending invitations of people. */
export function listPendingPersonInvitations(db: Executor, organisationId: string) {
  return repo.listPendingPersonInvitations(db, organisationId);
}

/** A coalition's pending invitations of organisations. */
export function listPendingOrganisationInvitations(db: Executor, coalitionId: string) {
  return repo.listPendingOrganisationInvitations(db, coalitionId);
}
