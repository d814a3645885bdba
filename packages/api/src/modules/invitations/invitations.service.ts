import type { InvitationPreview } from "@samakki/shared/coalitions";
import type { Language } from "@samakki/shared/i18n/index";
import { Constraint, uniqueViolation } from "../../db/errors.ts";
import type { AppDeps, CurrentPerson } from "../../lib/context.ts";
import { generateToken, hashToken, sha256Hex } from "../../lib/crypto.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { DAY } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { assertStrongPassword } from "../auth/passwords.ts";
import { giveBack, LIMITS, take } from "../auth/rate-limit.ts";
import { createSession } from "../auth/sessions.service.ts";
import { enqueueEmail } from "../email/outbox.ts";
import { notify } from "../notifications/notifications.service.ts";
import { assertNamesFree } from "../organisations/organisations.service.ts";
import { grantCoordinator } from "./invitations.repository.ts";

export const INVITATION_TTL = 7 * DAY;

async function inviterName(db: Executor, personId: string) {
  const row = await db.selectFrom("person").where("id", "=", personId).select("display_name").executeTakeFirstOrThrow();
  return row.display_name;
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
    const coalition = await trx
      .selectFrom("coalition")
      .where("id", "=", coalitionId)
      .select(["name", "time_zone"])
      .executeTakeFirstOrThrow();
    // Names are unique within the coalition (checked under the coalition's lock; see assertNamesFree).
    await assertNamesFree(trx, {
      coalitionIds: [coalitionId],
      organisationId: null,
      name: { value: input.organisationName, path: "organisationName" },
      shortName: input.shortName ? { value: input.shortName, path: "shortName" } : undefined,
    });
    const organisation = await trx
      .insertInto("organisation")
      .values({ name: input.organisationName, short_name: input.shortName || null, contact_email: input.contactEmail })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("coalition_member")
      .values({ coalition_id: coalitionId, organisation_id: organisation.id, status: "invited" })
      .execute();
    const expiresAt = new Date(Date.now() + INVITATION_TTL);
    const invitation = await trx
      .insertInto("invitation")
      .values({
        kind: "organisation",
        token_hash: hashToken(token),
        email: input.contactEmail,
        coalition_id: coalitionId,
        organisation_id: organisation.id,
        role: "admin",
        language: input.language,
        invited_by: actor.id,
        expires_at: expiresAt,
        accepted_at: null,
        accepted_by: null,
        revoked_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await enqueueEmail(trx, {
      to: input.contactEmail,
      language: input.language,
      coalitionId,
      message: {
        template: "invitation_organisation",
        data: {
          coalition: coalition.name,
          organisation: input.organisationName,
          inviter: await inviterName(trx, actor.id),
          url: `${deps.config.publicUrl}/invitations/${token}`,
          expiresAt: expiresAt.toISOString(),
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

/** An organisation admin invites a person by email (single use, 7 days, revocable). */
export async function invitePerson(
  deps: AppDeps,
  actor: CurrentPerson,
  organisationId: string,
  input: { email: string; role: "admin" | "member"; displayName?: string | undefined; language?: Language | undefined },
) {
  const token = generateToken(20);
  return withTransaction(deps.db, async (trx) => {
    const organisation = await trx.selectFrom("organisation").where("id", "=", organisationId).select(["name"]).executeTakeFirstOrThrow();
    const already = await trx
      .selectFrom("membership as m")
      .innerJoin("person as p", "p.id", "m.person_id")
      .where("m.organisation_id", "=", organisationId)
      .where("p.email", "=", input.email)
      .select("p.id")
      .executeTakeFirst();
    if (already) throw new AppError("conflict", "already a member", { fieldErrors: [{ path: "email", message: "already a member" }] });
    const invitee = await trx.selectFrom("person").where("email", "=", input.email).select(["language"]).executeTakeFirst();
    const zone = await trx
      .selectFrom("coalition_member as cm")
      .innerJoin("coalition as c", "c.id", "cm.coalition_id")
      .where("cm.organisation_id", "=", organisationId)
      .select("c.time_zone")
      .limit(1)
      .executeTakeFirst();
    const expiresAt = new Date(Date.now() + INVITATION_TTL);
    const invitation = await trx
      .insertInto("invitation")
      .values({
        kind: "person",
        token_hash: hashToken(token),
        email: input.email,
        coalition_id: null,
        organisation_id: organisationId,
        role: input.role,
        display_name: input.displayName ?? null,
        language: input.language ?? null,
        invited_by: actor.id,
        expires_at: expiresAt,
        accepted_at: null,
        accepted_by: null,
        revoked_at: null,
      })
      .returning(["id", "created_at"])
      .executeTakeFirstOrThrow();
    await enqueueEmail(trx, {
      to: input.email,
      // An existing account's own choice first; else the language the inviter gave; else the inviter's.
      language: invitee?.language ?? input.language ?? actor.language,
      message: {
        template: "invitation_person",
        data: {
          organisation: organisation.name,
          inviter: await inviterName(trx, actor.id),
          url: `${deps.config.publicUrl}/invitations/${token}`,
          expiresAt: expiresAt.toISOString(),
          timeZone: zone?.time_zone ?? "Asia/Phnom_Penh",
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
        ...(input.displayName ? { displayName: input.displayName } : {}),
      },
    });
    return {
      id: invitation.id,
      email: input.email,
      displayName: input.displayName ?? null,
      language: input.language ?? null,
      role: input.role,
      expiresAt: expiresAt.toISOString(),
      createdAt: invitation.created_at.toISOString(),
    };
  });
}

function findUsable(db: Executor, token: string) {
  return db
    .selectFrom("invitation as i")
    .innerJoin("organisation as o", "o.id", "i.organisation_id")
    .leftJoin("coalition as c", "c.id", "i.coalition_id")
    .where("i.token_hash", "=", hashToken(token))
    .where("i.accepted_at", "is", null)
    .where("i.revoked_at", "is", null)
    .where("i.expires_at", ">", new Date())
    .select([
      "i.id",
      "i.kind",
      "i.email",
      "i.role",
      "i.organisation_id",
      "i.coalition_id",
      "i.expires_at",
      "i.grants_coordinator",
      "i.display_name",
      "i.language",
      "o.name as organisation_name",
      "c.name as coalition_name",
    ]);
}

export async function previewInvitation(db: Executor, token: string): Promise<InvitationPreview> {
  const row = await findUsable(db, token).executeTakeFirst();
  if (!row) throw new AppError("invitation_invalid");
  const account = await db.selectFrom("person").where("email", "=", row.email).select("id").executeTakeFirst();
  return {
    kind: row.kind,
    email: row.email,
    coalitionName: row.coalition_name,
    organisationName: row.organisation_name,
    expiresAt: row.expires_at.toISOString(),
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
  const limitKey = `invitation:address:${sha256Hex(address)}`;
  await take(deps.db, [{ key: limitKey, limit: LIMITS.invitation }]);
  const passwordHash = !current && input.password ? await deps.passwords.hash(input.password) : null;
  try {
    const accepted = await withTransaction(deps.db, async (trx) => {
      const invitation = await findUsable(trx, token).forUpdate("i").executeTakeFirst();
      if (!invitation) throw new AppError("invitation_invalid");
      let personId: string;
      let created: Awaited<ReturnType<typeof createSession>> | null = null;
      if (current) {
        if (current.email !== invitation.email) throw new AppError("invitation_email_mismatch");
        personId = current.id;
      } else {
        const existing = await trx.selectFrom("person").where("email", "=", invitation.email).select("id").executeTakeFirst();
        if (existing) throw new AppError("unauthenticated", "sign in to accept");
        // The name the inviter gave stands unless the person gives their own.
        const displayName = input.displayName ?? invitation.display_name;
        const missing = [
          ...(displayName ? [] : [{ path: "displayName", message: "validation.required" }]),
          ...(passwordHash ? [] : [{ path: "password", message: "validation.required" }]),
        ];
        if (missing.length > 0 || !displayName || !passwordHash)
          throw new AppError("validation_failed", "account fields", { fieldErrors: missing });
        const person = await trx
          .insertInto("person")
          .values({
            email: invitation.email,
            display_name: displayName,
            language: input.language ?? invitation.language ?? "en",
            password_hash: passwordHash,
            email_verified_at: new Date(),
            disabled_at: null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        personId = person.id;
        created = await createSession(trx, deps.config, personId, userAgent);
      }
      const admin = invitation.role === "admin";
      await trx
        .insertInto("membership")
        .values({ organisation_id: invitation.organisation_id, person_id: personId, role: invitation.role, representative: admin })
        .onConflict((oc) =>
          admin
            ? oc.constraint("membership_pkey").doUpdateSet({ role: "admin", representative: true })
            : oc.constraint("membership_pkey").doNothing(),
        )
        .execute();
      await trx.updateTable("invitation").set({ accepted_at: new Date(), accepted_by: personId }).where("id", "=", invitation.id).execute();
      if (invitation.kind === "organisation" && invitation.coalition_id) {
        await trx
          .updateTable("coalition_member")
          .set({ status: "active", updated_at: new Date() })
          .where("coalition_id", "=", invitation.coalition_id)
          .where("organisation_id", "=", invitation.organisation_id)
          .where("status", "=", "invited")
          .execute();
        // An operator's invitation of a coalition's first coordinator (modules/operators).
        if (invitation.grants_coordinator) await grantCoordinator(trx, invitation.coalition_id, personId);
        const coordinators = await trx
          .selectFrom("coordinator")
          .where("coalition_id", "=", invitation.coalition_id)
          .select("person_id")
          .execute();
        await notify(
          trx,
          coordinators.map((co) => ({
            personId: co.person_id,
            coalitionId: invitation.coalition_id,
            kind: "organisation_joined",
            messageKey: "notifications.organisation_joined",
            params: { organisation: invitation.organisation_name },
            link: `/c/${invitation.coalition_id}/members`,
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
    let query = trx
      .updateTable("invitation")
      .set({ revoked_at: new Date() })
      .where("id", "=", invitationId)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null);
    if (scope.organisationId) query = query.where("organisation_id", "=", scope.organisationId).where("kind", "=", "person");
    if (scope.coalitionId) query = query.where("coalition_id", "=", scope.coalitionId).where("kind", "=", "organisation");
    const row = await query.returning(["id", "organisation_id", "coalition_id", "email"]).executeTakeFirst();
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

export function listPendingPersonInvitations(db: Executor, organisationId: string) {
  return db
    .selectFrom("invitation")
    .where("organisation_id", "=", organisationId)
    .where("kind", "=", "person")
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", new Date())
    .select(["id", "email", "display_name", "language", "role", "expires_at", "created_at"])
    .orderBy("created_at", "desc")
    .execute();
}

export function listPendingOrganisationInvitations(db: Executor, coalitionId: string) {
  return db
    .selectFrom("invitation as i")
    .innerJoin("organisation as o", "o.id", "i.organisation_id")
    .where("i.coalition_id", "=", coalitionId)
    .where("i.kind", "=", "organisation")
    .where("i.accepted_at", "is", null)
    .where("i.revoked_at", "is", null)
    .select(["i.id", "i.email", "i.role", "i.expires_at", "i.created_at", "o.name as organisation_name"])
    .orderBy("i.created_at", "desc")
    .execute();
}
