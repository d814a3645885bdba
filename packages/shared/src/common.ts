import { z } from "zod";
import { LANGUAGES } from "./i18n/translate.ts";

export const Id = z.uuid();
export const LanguageSchema = z.enum(LANGUAGES);
export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((value) => value.toLowerCase());
/** Length rules from security.md; the common-password check runs on the server. */
export const NewPassword = z.string().min(12).max(256);
export const Password = z.string().min(1).max(256);
export const DisplayName = z.string().trim().min(1).max(120);
export const IsoDateTime = z.iso.datetime({ offset: true });

export const TIME_ZONES = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["Asia/Phnom_Penh", "UTC"];
export const TimeZone = z.string().refine((tz) => tz === "UTC" || TIME_ZONES.includes(tz), { message: "validation.unknown_time_zone" });
export const DEFAULT_TIME_ZONE = "Asia/Phnom_Penh";

export const Page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export const PageQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
