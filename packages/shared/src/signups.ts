import { z } from "zod";
import { Id, IsoDateTime, queryInteger, singleLine } from "./common.ts";

/** How many people may come with one person who signs up (besides themselves). */
export const MAX_GUESTS = 50;

/** A phone number as people type it: digits, spaces, +, -, (, ), 6 to 15 digits. */
export const Phone = z
  .string()
  .trim()
  .max(32)
  .regex(/^\+?[\d\s().-]+$/)
  .refine((value) => {
    const digits = value.replace(/\D/g, "").length;
    return digits >= 6 && digits <= 15;
  }, "validation.signup_phone_invalid");

/** Digits only (a leading + kept), so "012 345 678" and "012-345-678" are the same person. */
export function phoneKey(phone: string): string {
  const trimmed = phone.trim();
  return `${trimmed.startsWith("+") ? "+" : ""}${trimmed.replace(/\D/g, "")}`;
}

export const SignupStatus = z.enum(["pending", "confirmed"]);
export type SignupStatus = z.infer<typeof SignupStatus>;
export const SignupConfirmedVia = z.enum(["email", "phone"]);
export type SignupConfirmedVia = z.infer<typeof SignupConfirmedVia>;

/** People coming to one part of an activity: a march stage (position ≥ 1), or the whole activity (position null). */
export const SignupCount = z.object({
  position: z.number().int().nullable(),
  /** Confirmed people, each with those who come with them. */
  people: z.number().int(),
  /** Confirmed sign-ups. */
  signups: z.number().int(),
  /**
   * People of sign-ups not yet confirmed: for the campaign's owners only (null to others). Anyone may
   * post the public form with someone's contact, and a member watching this count would learn from it
   * whether that person had signed up (a confirmed sign-up stays as it is; a new one adds to it).
   */
  pendingPeople: z.number().int().nullable(),
});
export type SignupCount = z.infer<typeof SignupCount>;

export const SignupCounts = z.object({
  activityId: Id,
  counts: z.array(SignupCount),
  /** Whether the person may see the list and confirm or remove sign-ups. */
  canManage: z.boolean(),
});
export type SignupCounts = z.infer<typeof SignupCounts>;

export const Signup = z.object({
  id: Id,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  guests: z.number().int(),
  positions: z.array(z.number().int()),
  status: SignupStatus,
  confirmedVia: SignupConfirmedVia.nullable(),
  confirmedBy: z.object({ id: Id, displayName: z.string() }).nullable(),
  confirmedAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type Signup = z.infer<typeof Signup>;

export const SignupList = SignupCounts.extend({ items: z.array(Signup) });
export type SignupList = z.infer<typeof SignupList>;

/**
 * The public form, as posted (application/x-www-form-urlencoded). `choices` are
 * "<activityId>:<position>" (position 0 for an activity without stages). The public page shows one
 * message per field (signups.public.errors.<field>), so the schema names no messages of its own.
 */
export const PublicSignupForm = z.object({
  name: singleLine(1, 120),
  email: z.union([z.literal(""), z.string().trim().max(254).pipe(z.email())]).default(""),
  phone: z.union([z.literal(""), Phone]).default(""),
  // Decimal digits only: "1e1", "0x2" or " 2" are not a number of guests. (An empty number field is
  // posted as "guests=", which the route reads as "0": no guests.)
  guests: queryInteger(0, MAX_GUESTS).default(0),
  choices: z
    .array(z.string().regex(/^[0-9a-f-]{36}:\d{1,4}$/i))
    .min(1)
    .max(200),
});
export type PublicSignupForm = z.infer<typeof PublicSignupForm>;
