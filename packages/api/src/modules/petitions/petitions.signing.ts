import type { Language } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import type { SignPetitionForm } from "@samakki/shared/petitions";
import { type AppDeps, now } from "../../lib/context.ts";
import { generateToken, hashToken } from "../../lib/crypto.ts";
import { preconditionFailed } from "../../lib/errors.ts";
import { DAY, localDate } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { keyedCounter, take } from "../auth/rate-limit.ts";
import { enqueueEmail } from "../email/outbox.ts";
import { coalitionNameOf } from "../public-site/public-site.service.ts";
import * as repo from "./petitions.repository.ts";
import { petitionCounts } from "./petitions.service.ts";
import { verifyPowSolution } from "./pow.ts";

/** The public side of a petition: its phase and page, signing (limits, challenge, confirmation email), confirmation and withdrawal links. */

export const CONFIRM_TTL_MS = 7 * DAY;
/** Per hour: sign-ups from one address with a solved challenge, without one (no JavaScript), and per email address. */
export const SIGN_LIMITS = { addressWithPow: 30, addressWithoutPow: 5, email: 3 } as const;
const SIGN_WINDOW_SECONDS = 3600;

// --- the public -----------------------------------------------------------------------------------------------

export type PublicPetition = NonNullable<Awaited<ReturnType<typeof repo.findPublicPetition>>>;

export function findPublicPetition(db: Executor, coalitionSlug: string, campaignSlug: string) {
  return repo.findPublicPetition(db, coalitionSlug, campaignSlug);
}

export type PetitionPhase = "not_open" | "open" | "closed";
export function phaseOf(petition: Pick<PublicPetition, "status" | "opens_on" | "closes_on" | "time_zone">, at: Date): PetitionPhase {
  if (petition.status === "closed") return "closed";
  const today = localDate(at, petition.time_zone);
  if (today < petition.opens_on) return "not_open";
  return today > petition.closes_on ? "closed" : "open";
}

export async function publicView(db: Executor, petition: PublicPetition) {
  const [counts, recent] = await Promise.all([petitionCounts(db, petition.id), repo.recentPublicNames(db, petition.id, 20)]);
  return { counts, recent };
}

export type SignOutcome = { ok: true } | { ok: false; fieldErrors: { path: string; message: string }[] };

/**
 * Sign (or sign again): limits per address (stricter without a solved challenge) and per email,
 * the challenge checked once, then the signature and its confirmation email in one transaction.
 * The answer is the same whether or not the address had signed before.
 */
export async function sign(
  deps: AppDeps,
  petition: PublicPetition,
  form: SignPetitionForm,
  meta: { lang: Language; address: string },
): Promise<SignOutcome> {
  const at = now(deps);
  if (phaseOf(petition, at) !== "open") throw preconditionFailed("the petition is not open");
  const emailKey = form.email.trim().toLowerCase();
  const hasPow = Boolean(form.altcha);
  await take(
    deps.db,
    [
      // Keyed, never the address or its plain hash (docs/security.md §6).
      hasPow
        ? { key: keyedCounter(deps.config, "petition-addr", meta.address), limit: SIGN_LIMITS.addressWithPow }
        : { key: keyedCounter(deps.config, "petition-addr-nojs", meta.address), limit: SIGN_LIMITS.addressWithoutPow },
      { key: keyedCounter(deps.config, "petition-email", `${petition.id}:${emailKey}`), limit: SIGN_LIMITS.email },
    ],
    SIGN_WINDOW_SECONDS,
  );
  if (form.altcha && !(await verifyPowSolution(deps.db, form.altcha, at))) {
    return { ok: false, fieldErrors: [{ path: "altcha", message: "petitions.public.errors.pow" }] };
  }
  const confirmToken = generateToken();
  const withdrawToken = generateToken();
  await withTransaction(deps.db, async (trx) => {
    const row = await repo.upsertSignature(trx, {
      petitionId: petition.id,
      emailKey,
      email: form.email.trim(),
      name: form.name,
      province: form.province,
      comment: form.comment,
      showName: form.showName,
      language: meta.lang,
      confirmTokenHash: hashToken(confirmToken),
      confirmExpiresAt: new Date(at.getTime() + CONFIRM_TTL_MS),
      withdrawTokenHash: hashToken(withdrawToken),
    });
    const base = deps.config.publicUrl;
    await enqueueEmail(trx, {
      to: form.email.trim(),
      language: meta.lang,
      coalitionId: petition.coalition_id,
      message: {
        template: "petition_confirmation",
        data: {
          petition: meta.lang === "km" ? petition.title_km : petition.title_en,
          coalition: coalitionNameOf(petition, meta.lang),
          confirmUrl: `${base}${paths.withLang(paths.petitionLink("confirm", confirmToken), meta.lang)}`,
          // Confirmed already: its withdrawal link stays the one it was sent (upsertSignature keeps it).
          withdrawUrl:
            row.status === "confirmed" ? null : `${base}${paths.withLang(paths.petitionLink("withdraw", withdrawToken), meta.lang)}`,
          alreadyConfirmed: row.status === "confirmed",
        },
      },
    });
  });
  return { ok: true };
}

const TOKEN = /^[a-z2-7]{32}$/;

/** What a confirmation or withdrawal link points at (for the page with the button); undefined for anything unusable. */
export async function lookupToken(db: Executor, kind: "confirm" | "withdraw", token: string) {
  if (!TOKEN.test(token)) return undefined;
  const hash = hashToken(token);
  return kind === "confirm" ? repo.findSignatureByConfirmHash(db, hash) : repo.findSignatureByWithdrawHash(db, hash);
}

export type ConfirmOutcome = "confirmed" | "already_confirmed" | "invalid";

/** Confirm through the emailed link: one conditional UPDATE; a used, expired or unknown token changes nothing. */
export async function confirm(db: Executor, token: string): Promise<ConfirmOutcome> {
  if (!TOKEN.test(token)) return "invalid";
  const hash = hashToken(token);
  if (await repo.confirmSignature(db, hash)) return "confirmed";
  if (await repo.isConfirmedToken(db, hash)) return "already_confirmed";
  return "invalid";
}

/** Withdraw through the emailed link: the signature and its personal data are deleted. */
export async function withdraw(db: Executor, token: string): Promise<boolean> {
  if (!TOKEN.test(token)) return false;
  return (await repo.withdrawSignature(db, hashToken(token))) !== undefined;
}
