/**
 * The answers the first screen reads (who is signed in, whether setup is needed, sign-in, passkey
 * options, problems), validated with zod/mini. The shared schemas are full zod, which alone is about
 * 20 KiB of the first download as sent; zod/mini checks the same shapes for about 5 (issue 10,
 * item 3: the sign-in page's JS budget). Pages behind sign-in load full zod with their own code.
 *
 * Each schema here mirrors the shared one of the same name, field for field:
 * first-screen-schemas.test.ts compares their JSON Schemas, so a change to a shared schema that
 * is not made here too fails the tests. The enums' values come from the shared
 * lists (shared/constants.ts, no zod), never copied.
 */
import { ERROR_CODES, NOTIFY_EMAIL, ORG_ROLES, SECOND_FACTOR_METHODS } from "@samakki/shared/constants";
import { LANGUAGES } from "@samakki/shared/i18n/translate";
import * as z from "zod/mini";

const Id = z.uuid();
const IsoDateTime = z.iso.datetime({ offset: true });

export const MeOrganisation = z.object({
  id: Id,
  name: z.string(),
  shortName: z.nullable(z.string()),
  secondName: z.nullable(z.object({ language: z.enum(LANGUAGES), name: z.string() })),
  role: z.enum(ORG_ROLES),
  representative: z.boolean(),
});

export const MeCoalition = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  secondName: z.nullable(z.object({ language: z.enum(LANGUAGES), name: z.string() })),
  timeZone: z.string(),
  isCoordinator: z.boolean(),
  organisations: z.array(MeOrganisation),
  deletionDueAt: z.nullable(IsoDateTime),
});

export const Me = z.object({
  person: z.object({
    id: Id,
    email: z.string(),
    displayName: z.string(),
    language: z.enum(LANGUAGES),
    emailVerified: z.boolean(),
    notifyEmail: z.enum(NOTIFY_EMAIL),
    twoFactorEnabled: z.boolean(),
  }),
  coalitions: z.array(MeCoalition),
  organisations: z.array(MeOrganisation),
  recentAuthUntil: z.nullable(IsoDateTime),
  operator: z.boolean(),
  twoFactorRequirement: z.object({ required: z.boolean(), satisfied: z.boolean() }),
});

export const TwoFactorChallenge = z.object({
  twoFactor: z.object({ challenge: z.string(), methods: z.array(z.enum(SECOND_FACTOR_METHODS)) }),
});

export const SignInResult = z.union([Me, TwoFactorChallenge]);

export const SetupStatus = z.object({ needed: z.boolean() });

export const PasskeyOptions = z.looseObject({ challenge: z.string() });

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  code: z.enum(ERROR_CODES),
  requestId: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});
