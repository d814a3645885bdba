import type { Me, NotifyEmail, SessionInfo } from "@samakki/shared/auth";
import type { Language } from "@samakki/shared/i18n/index";
import { secondNameOf } from "@samakki/shared/names";
import * as paths from "@samakki/shared/paths";
import type { AppDeps, CurrentSession } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { RECENT_AUTH_WINDOW_MS } from "../../lib/policy.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { enqueueEmail } from "../email/outbox.ts";
import { findTwoFactorRequirement } from "../passkeys/two-factor-requirement.repository.ts";
import * as repo from "./auth.repository.ts";
import { describeDevice } from "./device.ts";
import { sendEmailVerification } from "./email-links.service.ts";
import { meRows } from "./me.repository.ts";
import { assertStrongPassword } from "./passwords.ts";
import { LIMITS, take } from "./rate-limit.ts";
import * as sessions from "./sessions.repository.ts";
import { createSession } from "./sessions.service.ts";
import type { RequestMeta } from "./sign-in.service.ts";
import { stepUpProof, verifyStepUp } from "./two-factor.service.ts";

/**
 * The signed-in person's own account: who they are (/api/me), their profile, their sessions,
 * their password and their email address (the change is confirmed through email-links.service.ts).
 */

/** `session.twoFactor` is read with the session (lib/context.ts), so /api/me costs no query for it. */
export async function getMe(db: Executor, personId: string, session: Pick<CurrentSession, "recentAuthAt" | "twoFactor">): Promise<Me> {
  const { person, organisations, coalitions, memberRows } = await meRows(db, personId);
  const toOrg = (o: (typeof organisations)[number]) => ({
    id: o.id,
    name: o.name,
    shortName: o.short_name,
    secondName: secondNameOf(o.second_name, o.second_name_language),
    role: o.role,
    representative: o.representative,
  });
  const recent = session.recentAuthAt ? new Date(session.recentAuthAt.getTime() + RECENT_AUTH_WINDOW_MS) : null;
  return {
    person: {
      id: person.id,
      email: person.email,
      displayName: person.display_name,
      language: person.language,
      emailVerified: person.email_verified_at !== null,
      notifyEmail: person.notify_email,
      twoFactorEnabled: person.totp_enabled_at !== null,
    },
    coalitions: coalitions.map((c) => ({
      id: c.id,
      slug: c.slug,
      name: c.name,
      secondName: secondNameOf(c.second_name, c.second_name_language),
      timeZone: c.time_zone,
      isCoordinator: Boolean(c.is_coordinator),
      organisations: organisations.filter((o) => memberRows.some((r) => r.coalition_id === c.id && r.organisation_id === o.id)).map(toOrg),
      deletionDueAt: c.deletion_due_at ? new Date(c.deletion_due_at).toISOString() : null,
    })),
    organisations: organisations.map(toOrg),
    recentAuthUntil: recent && recent.getTime() > Date.now() ? recent.toISOString() : null,
    operator: Boolean(person.operator),
    twoFactorRequirement: { required: session.twoFactor.required, satisfied: session.twoFactor.satisfied },
  };
}

/** The person as a session just created for them sees themselves (every way of signing in answers this). */
export async function meForNewSession(db: Executor, publicId: string): Promise<Me> {
  const session = await sessions.findSessionByPublicId(db, publicId);
  const twoFactor = await findTwoFactorRequirement(db, session.person_id);
  return getMe(db, session.person_id, { recentAuthAt: session.recent_auth_at, twoFactor });
}

export async function updateProfile(
  db: Executor,
  personId: string,
  input: { displayName?: string | undefined; language?: Language | undefined; notifyEmail?: NotifyEmail | undefined },
) {
  await repo.updateProfile(db, personId, input);
}

export async function listSessions(db: Executor, session: CurrentSession): Promise<SessionInfo[]> {
  const rows = await sessions.listPersonSessions(db, session.personId, new Date());
  return rows.map((r) => ({
    id: r.public_id,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at.toISOString(),
    device: describeDevice(r.user_agent),
    current: r.id === session.id,
  }));
}

export async function revokeSession(db: Executor, session: CurrentSession, publicId: string) {
  await withTransaction(db, async (trx) => {
    const result = await sessions.deleteSessionByPublicId(trx, session.personId, publicId);
    if (Number(result.numDeletedRows) === 0) throw new AppError("not_found", "session");
    await recordAudit(trx, { actorId: session.personId, action: "session.revoke", targetType: "session", targetId: publicId });
  });
}

export async function revokeOtherSessions(db: Executor, session: CurrentSession) {
  await withTransaction(db, async (trx) => {
    const result = await sessions.deletePersonSessions(trx, session.personId, session.id);
    await recordAudit(trx, {
      actorId: session.personId,
      action: "session.revoke_others",
      targetType: "person",
      targetId: session.personId,
      after: { ended: Number(result.numDeletedRows) },
    });
  });
}

/** Changing the password ends every session, then signs this device in again with a new token. */
export async function changePassword(
  deps: AppDeps,
  session: CurrentSession,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
) {
  assertStrongPassword(input.newPassword, "newPassword");
  await verifyStepUp(deps, session.personId, { password: input.currentPassword }, { password: "currentPassword" });
  const passwordHash = await deps.passwords.hash(input.newPassword);
  return withTransaction(deps.db, async (trx) => {
    await repo.setPasswordHash(trx, session.personId, passwordHash);
    await sessions.deletePersonSessions(trx, session.personId);
    await repo.deletePersonChallenges(trx, session.personId);
    await recordAudit(trx, { actorId: session.personId, action: "auth.password_change", targetType: "person", targetId: session.personId });
    return createSession(trx, deps.config, session.personId, meta.userAgent);
  });
}

/**
 * The new address only takes effect once verified through the link sent to it. Needs the password
 * or a second factor in the same request. A taken address answers exactly like a free one (no
 * enumeration): its owner gets an email instead of a link.
 */
export async function requestEmailChange(
  deps: AppDeps,
  personId: string,
  input: { email: string; password?: string | undefined; code?: string | undefined },
) {
  await take(deps.db, [{ key: `email_change:${personId}`, limit: LIMITS.emailChange }]);
  await verifyStepUp(deps, personId, stepUpProof(input));
  const person = await repo.findAccount(deps.db, personId);
  if (!person) throw new AppError("not_found", "person");
  const taken = await repo.findAccountByEmail(deps.db, input.email);
  await withTransaction(deps.db, async (trx) => {
    if (!taken) {
      await sendEmailVerification(deps, trx, personId, input.email, person.language);
      return;
    }
    await enqueueEmail(trx, {
      to: input.email,
      language: taken.language,
      message: {
        template: "notification",
        data: { messageKey: "notifications.email_change_taken", params: {}, url: `${deps.config.publicUrl}${paths.forgotPassword()}` },
      },
    });
  });
}
