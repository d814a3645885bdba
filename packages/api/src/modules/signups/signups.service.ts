import { formatDay, khmerDigits } from "@samakki/shared/i18n/format";
import type { Language } from "@samakki/shared/i18n/index";
import { translate } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import { type PublicSignupForm, phoneKey, type Signup, type SignupCounts, type SignupList } from "@samakki/shared/signups";
import type { AppDeps } from "../../lib/context.ts";
import { generateToken, hashToken } from "../../lib/crypto.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { inOrder } from "../../lib/in-order.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { isoTime } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { keyedCounter, take } from "../auth/rate-limit.ts";
import { loadCampaign } from "../campaigns/campaigns.access.ts";
import { enqueueEmail } from "../email/outbox.ts";
import { findPublicCampaign as findPublicCampaignRow } from "../public-site/public-site.repository.ts";
import { campaignTitle, coalitionNameOf } from "../public-site/public-site.service.ts";
import * as repo from "./signups.repository.ts";

/** Personal data of sign-ups is erased this many days after the activity's end (or last march stage). */
const RETENTION_DAYS = 7;
/**
 * Per 15 minutes: forms from one address, forms for one contact, and confirmation emails to one
 * contact (one per activity chosen): without the last, a form choosing every activity made the
 * server send as many emails as the campaign has activities, to an address anyone may type in.
 */
const SIGNUP_LIMITS = { address: 30, contact: 5, contactEmails: 8 } as const;
const SIGNUP_WINDOW_SECONDS = 15 * 60;

export type PublicCampaign = NonNullable<Awaited<ReturnType<typeof findPublicCampaignRow>>>;

export interface JoinActivity {
  id: string;
  kind: string;
  title: string;
  location: string;
  startsAt: string;
  endsAt: string | null;
  stages: { position: number; date: string; from: string; to: string; value: string }[];
  /** The value of the whole-activity choice (activities without stages). */
  value: string | null;
}

export function findPublicCampaign(db: Executor, coalitionSlug: string, campaignSlug: string) {
  return findPublicCampaignRow(db, coalitionSlug, campaignSlug);
}

/** The upcoming activities of a public campaign, each march with its upcoming stages, as form choices. */
export async function joinActivities(db: Executor, campaign: PublicCampaign): Promise<JoinActivity[]> {
  const activities = await repo.upcomingActivities(db, campaign.id, campaign.time_zone);
  const stages = await repo.upcomingStages(
    db,
    activities.filter((a) => a.kind === "march").map((a) => a.id),
    campaign.time_zone,
  );
  return activities
    .map((a) => {
      const own = stages
        .filter((s) => s.activity_id === a.id)
        .map((s) => ({ position: s.position, date: s.stage_date, from: s.from_place, to: s.to_place, value: `${a.id}:${s.position}` }));
      return {
        id: a.id,
        kind: a.kind,
        title: a.title,
        location: a.location,
        startsAt: a.starts_local,
        endsAt: a.ends_local,
        stages: own,
        value: a.kind === "march" ? null : `${a.id}:0`,
      };
    })
    .filter((a) => a.value !== null || a.stages.length > 0);
}

/** Confirmed people per activity and stage, for the public campaign page. */
export function publicCounts(db: Executor, activityIds: string[]) {
  return repo.confirmedPeople(db, activityIds);
}

type SignupOutcome = { ok: true; emailSent: boolean } | { ok: false; errors: Record<string, string> };

/**
 * A sign-up from the public form: one sign-up per chosen activity (with its chosen stages),
 * inserted or updated by contact, and a confirmation email to the address given, in the
 * language of the form. The answer is the same whether the address had signed up before.
 */
export async function submitSignup(
  deps: AppDeps,
  input: { campaign: PublicCampaign; form: PublicSignupForm; lang: Language; address: string },
): Promise<SignupOutcome> {
  const { campaign, form, lang } = input;
  const errors: Record<string, string> = {};
  const email = form.email ? form.email.toLowerCase() : null;
  const phone = form.phone ? form.phone.trim() : null;
  if (!email && !phone) errors.contact = "signups.public.errors.contact";
  const activities = await joinActivities(deps.db, campaign);
  const valid = new Map<string, JoinActivity>();
  for (const a of activities) {
    if (a.value) valid.set(a.value, a);
    for (const s of a.stages) valid.set(s.value, a);
  }
  const chosen = new Map<string, { activity: JoinActivity; positions: number[] }>();
  for (const value of new Set(form.choices.map((c) => c.toLowerCase()))) {
    const activity = valid.get(value);
    if (!activity) {
      errors.choices = "signups.public.errors.choices";
      continue;
    }
    const position = Number(value.split(":")[1]);
    const entry = chosen.get(activity.id) ?? { activity, positions: [] };
    if (position > 0) entry.positions.push(position);
    chosen.set(activity.id, entry);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const contactKey = email ? `e:${email}` : `p:${phoneKey(phone ?? "")}`;
  await take(
    deps.db,
    [
      { key: keyedCounter(deps.config, "signups:address", input.address), limit: SIGNUP_LIMITS.address },
      { key: keyedCounter(deps.config, "signups:contact", contactKey), limit: SIGNUP_LIMITS.contact },
      // One unit per email this form sends, at most the limit: one form always goes through, whatever it chose.
      ...(email
        ? [
            {
              key: keyedCounter(deps.config, "signups:contact-emails", contactKey),
              limit: SIGNUP_LIMITS.contactEmails,
              units: Math.min(chosen.size, SIGNUP_LIMITS.contactEmails),
            },
          ]
        : []),
    ],
    SIGNUP_WINDOW_SECONDS,
  );

  const base = deps.config.publicUrl;
  await withTransaction(deps.db, async (trx) => {
    for (const { activity, positions } of chosen.values()) {
      const confirmToken = email ? generateToken() : null;
      const cancelToken = generateToken();
      const signupId = await repo.upsertSignup(trx, {
        activityId: activity.id,
        name: form.name,
        email,
        phone,
        contactKey,
        guests: form.guests,
        language: lang,
        confirmTokenHash: confirmToken ? hashToken(confirmToken) : null,
        cancelTokenHash: hashToken(cancelToken),
      });
      /** The email to the address given: what the sign-up is for, with its links, or without (confirmed already). */
      const tell = (to: string, positions: number[], people: number, links: { confirmUrl: string; cancelUrl: string } | null) =>
        enqueueEmail(trx, {
          to,
          language: lang,
          coalitionId: campaign.coalition_id,
          message: {
            template: "signup_confirmation",
            data: {
              activity: activity.title,
              campaign: campaignTitle(campaign, lang),
              coalition: coalitionNameOf(campaign, lang),
              parts: partsOf(activity, positions, lang),
              people,
              alreadyConfirmed: links === null,
              confirmUrl: links?.confirmUrl ?? null,
              cancelUrl: links?.cancelUrl ?? null,
            },
          },
        });
      if (signupId === undefined) {
        // Confirmed already: left as it is. The address's owner is told (the answer to the form is
        // the same either way); a phone's confirmation is the organisers' to change.
        const confirmed = email ? await repo.confirmedSignup(trx, activity.id, contactKey) : undefined;
        if (email && confirmed) await tell(email, confirmed.positions, 1 + confirmed.guests, null);
        continue;
      }
      positions.sort((a, b) => a - b);
      await repo.replaceStages(trx, signupId, positions);
      if (email && confirmToken)
        await tell(email, positions, 1 + form.guests, {
          confirmUrl: `${base}${paths.withLang(paths.signupLink("confirm", confirmToken), lang)}`,
          cancelUrl: `${base}${paths.withLang(paths.signupLink("cancel", cancelToken), lang)}`,
        });
    }
  });
  return { ok: true, emailSent: Boolean(email) };
}

/** What a sign-up is for, line by line: its stages, or the activity's date and place. */
function partsOf(activity: JoinActivity, positions: number[], lang: Language): string[] {
  if (positions.length === 0)
    return [
      translate(lang, "signups.public.activityLine", {
        date: localDateTime(activity.startsAt, lang),
        place: activity.location || "—",
      }),
    ];
  return activity.stages
    .filter((s) => positions.includes(s.position))
    .map((s) =>
      translate(lang, "signups.public.stageLine", { position: s.position, date: formatDay(s.date, lang), from: s.from, to: s.to }),
    );
}

/** What a confirm or cancel link points to (for the page with the button); undefined when invalid, used or expired. */
export function describeLink(db: Executor, kind: "confirm" | "cancel", token: string) {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return Promise.resolve(undefined);
  return repo.findByTokenHash(db, kind, hashToken(token));
}

/** Confirm by the emailed link; the link works once. Returns where to send the person, or undefined. */
export async function confirmByLink(db: Executor, token: string) {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return undefined;
  const hash = hashToken(token);
  const target = await repo.findByTokenHash(db, "confirm", hash);
  if (!target) return undefined;
  const done = await repo.confirmByToken(db, hash);
  return done ? target : undefined;
}

/** Cancel by the emailed link: the sign-up and its personal data are deleted. */
export async function cancelByLink(db: Executor, token: string) {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return undefined;
  const hash = hashToken(token);
  const target = await repo.findByTokenHash(db, "cancel", hash);
  if (!target) return undefined;
  const done = await repo.deleteByCancelToken(db, hash);
  return done ? target : undefined;
}

// --- organisers ------------------------------------------------------------------------------

async function loadActivity(ctx: CoalitionCtx, db: Executor, campaignId: string, activityId: string) {
  // Both filtered by the coalition, so read at once; a missing campaign is named first.
  const [, activity] = await inOrder([
    loadCampaign(db, ctx.access, campaignId),
    repo.findActivity(db, ctx.access.coalitionId, campaignId, activityId),
  ]);
  if (!activity) throw notFound("activity");
  return activity;
}

/** Owners: the coalition's coordinators and the admins of the campaign's co-owner organisations. */
async function canManage(ctx: CoalitionCtx, db: Executor, campaignId: string) {
  return ctx.access.isCoordinator || (await repo.isOwnerAdmin(db, campaignId, ctx.person.id, ctx.access.organisationIds));
}

/** The activity (404 first, for another coalition's) and whether the person may manage its sign-ups, read at once. */
function activityAndStanding(ctx: CoalitionCtx, db: Executor, campaignId: string, activityId: string) {
  return inOrder([loadActivity(ctx, db, campaignId, activityId), canManage(ctx, db, campaignId)]);
}

async function requireOwner(ctx: CoalitionCtx, db: Executor, campaignId: string, activityId: string) {
  const [activity, manage] = await activityAndStanding(ctx, db, campaignId, activityId);
  if (!manage) throw new AppError("forbidden", "campaign owners only");
  return activity;
}

/** Counts per stage: every member of the coalition may see the confirmed ones; the pending ones, the owners only (SignupCount). */
export async function signupCounts(ctx: CoalitionCtx, campaignId: string, activityId: string): Promise<SignupCounts> {
  const { db } = ctx.deps;
  const [, manage] = await activityAndStanding(ctx, db, campaignId, activityId);
  const counts = await repo.countsOf(db, activityId);
  return { activityId, counts: manage ? counts : counts.map((c) => ({ ...c, pendingPeople: null })), canManage: manage };
}

/** The list with names and contacts: owners only. */
export async function listSignups(ctx: CoalitionCtx, campaignId: string, activityId: string): Promise<SignupList> {
  const { db } = ctx.deps;
  await requireOwner(ctx, db, campaignId, activityId);
  // Names and contacts are read only once the person is known to own the campaign.
  const [rows, counts] = await Promise.all([repo.listSignups(db, activityId), repo.countsOf(db, activityId)]);
  const items: Signup[] = rows.map((r) => ({
    id: r.id,
    name: r.name ?? "",
    email: r.email,
    phone: r.phone,
    guests: r.guests,
    positions: (r.positions ?? []).map(Number),
    status: r.status,
    confirmedVia: r.confirmed_via,
    confirmedBy: r.confirmed_by_id ? { id: r.confirmed_by_id, displayName: r.confirmed_by_name ?? "" } : null,
    confirmedAt: r.confirmed_at ? isoTime(r.confirmed_at) : null,
    createdAt: isoTime(r.created_at),
  }));
  return { activityId, counts, canManage: true, items };
}

/** An organiser confirms a sign-up by phone; audited with who and which sign-up, never the person's data. */
export async function confirmByPhone(ctx: CoalitionCtx, campaignId: string, activityId: string, signupId: string) {
  await withTransaction(ctx.deps.db, async (trx) => {
    await requireOwner(ctx, trx, campaignId, activityId);
    const done = await repo.confirmByPhone(trx, activityId, signupId, ctx.person.id);
    if (!done) {
      const existing = await repo.findSignup(trx, activityId, signupId);
      if (!existing) throw notFound("signup");
      throw new AppError("conflict", "already confirmed");
    }
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "signup.confirmed_by_phone",
      targetType: "signup",
      targetId: signupId,
      after: { activityId },
    });
  });
}

export async function removeSignup(ctx: CoalitionCtx, campaignId: string, activityId: string, signupId: string) {
  await withTransaction(ctx.deps.db, async (trx) => {
    await requireOwner(ctx, trx, campaignId, activityId);
    const done = await repo.deleteSignup(trx, activityId, signupId);
    if (!done) throw notFound("signup");
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "signup.removed",
      targetType: "signup",
      targetId: signupId,
      after: { activityId },
    });
  });
}

// --- the deletion job ------------------------------------------------------------------------

/**
 * Erase the personal data of sign-ups whose activity ended RETENTION_DAYS ago, in batches; each
 * batch is one claiming statement (FOR UPDATE SKIP LOCKED) and one audit event per activity
 * saying how many were erased, in the same transaction. Returns the number erased.
 */
export async function eraseSignupsAfterEvents(deps: Pick<AppDeps, "db">, batch = 500): Promise<number> {
  let total = 0;
  for (let round = 0; round < 100; round++) {
    const erased = await withTransaction(deps.db, async (trx) => {
      const rows = await repo.eraseDueSignups(trx, RETENTION_DAYS, batch);
      for (const row of rows) {
        await recordAudit(trx, {
          coalitionId: row.coalitionId,
          actorId: null,
          action: "signups.erased_after_event",
          targetType: "activity",
          targetId: row.activityId,
          after: { count: row.erased },
        });
      }
      return rows.reduce((sum, r) => sum + r.erased, 0);
    });
    total += erased;
    if (erased < batch) break;
  }
  return total;
}

/** A local "YYYY-MM-DDTHH:MM" of the coalition's zone, written for the reader: their month names and digits. */
function localDateTime(local: string, lang: Language): string {
  const [day = "", time = ""] = local.split("T");
  return `${formatDay(day, lang)} ${lang === "km" ? khmerDigits(time) : time}`.trim();
}
