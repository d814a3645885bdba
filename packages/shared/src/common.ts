import { z } from "zod";
import { LANGUAGES } from "./i18n/translate.ts";

export const Id = /* @__PURE__ */ z.uuid();
export const LanguageSchema = /* @__PURE__ */ z.enum(LANGUAGES);
export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((value) => value.toLowerCase());
/** Length rules from docs/security.md §3; the common-password check runs on the server. */
export const NewPassword = /* @__PURE__ */ z.string().min(12).max(256);
export const Password = /* @__PURE__ */ z.string().min(1).max(256);
/**
 * Characters no name or title may hold: C0 and C1 controls (invisible, and a terminal escape in
 * an exported CSV) and the bidirectional embeddings, overrides and isolates, which reorder what
 * others see ("\u202E" makes "gpj.exe" read as "exe.jpg"; a name could pass for another's).
 * Khmer needs none of them (its zero-width space, U+200B, is allowed).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose.
const NOT_IN_A_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/**
 * Characters that show nothing, by code point range: the soft hyphen, the combining grapheme
 * joiner, the Hangul fillers, Khmer's two inherent vowels (U+17B4, U+17B5, which the Unicode
 * standard advises against and which render as nothing), the Mongolian vowel separator, the
 * zero-width characters and direction marks (U+200B–U+200F, U+2060–U+2064, U+FEFF), the blank
 * braille pattern, the variation selectors and the tag characters. A list rather than a character
 * class: a class holding combining characters (U+034F, the selectors) matches unexpectedly.
 */
const INVISIBLE: ReadonlyArray<readonly [number, number]> = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2060, 0x2064],
  [0x2800, 0x2800],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xe0000, 0xe007f],
  [0xe0100, 0xe01ef],
];
const SPACE = /\s/;

/** Whether a text shows anything at all: a character that is neither a space nor INVISIBLE. */
export function isVisibleText(text: string): boolean {
  for (const char of text) {
    if (SPACE.test(char)) continue;
    const code = char.codePointAt(0) ?? 0;
    if (!INVISIBLE.some(([first, last]) => code >= first && code <= last)) return true;
  }
  return false;
}

/**
 * A text of several lines that must say something (a comment, an update): trimmed, 1 to `max`
 * characters, and not only characters that show nothing, which posted a comment that looks empty.
 */
export const textBody = (max: number) =>
  // An empty one is only "too short": one error per field.
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => v === "" || isVisibleText(v), { message: "validation.required" });

/**
 * One line that people read as a name or title: trimmed, `min`..`max` characters, none of
 * NOT_IN_A_LINE, and (when not empty) something visible. Errors are translated codes.
 */
export const singleLine = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((v) => !NOT_IN_A_LINE.test(v), { message: "validation.invalid_characters" })
    .refine((v) => v === "" || isVisibleText(v), { message: "validation.required" });

export const DisplayName = /* @__PURE__ */ singleLine(1, 120);
export const IsoDateTime = /* @__PURE__ */ z.iso.datetime({ offset: true });

/**
 * Whether a date (YYYY-MM-DD…) falls in the years Samakki takes, 1900 to 2999. The shape alone lets
 * through year 0000, which PostgreSQL refuses (there was no year 0): a 500 rather than a 400.
 * Nothing Samakki records happened before 1900 or is planned after 2999.
 */
export function inDateYears(value: string): boolean {
  const year = Number(value.slice(0, 4));
  return year >= 1900 && year <= 2999;
}
/** A calendar date, YYYY-MM-DD, in the coalition's time zone, from 1900 to 2999. */
export const DateOnly = /* @__PURE__ */ z.iso.date({ abort: true }).refine(inDateYears, "validation.date_out_of_range");

/**
 * A whole number written in decimal digits, as a query string or a form sends it, from `min` to
 * `max`. `z.coerce.number()` alone reads JavaScript's numbers: `0x10` as 16, `1e2` as 100, an empty
 * value as 0 and " 7" as 7, so one request could be written many ways. Anything but 1 to 9 digits
 * fails as not a number ("invalid"). Documented in OpenAPI as an integer with its bounds.
 */
export const queryInteger = (min: number, max: number) => z.preprocess(onlyDigits, z.coerce.number().int().min(min).max(max));
const onlyDigits = (value: unknown) => (typeof value === "string" && !/^[0-9]{1,9}$/.test(value) ? Number.NaN : value);

/**
 * Bilingual names (issue 10, item 10; see names.ts): an optional second name in the other
 * language, tagged with that language. Here, beside LanguageSchema, so the web's first chunks
 * carry no extra module for it.
 */
export const SecondName = /* @__PURE__ */ z.object({ language: LanguageSchema, name: z.string() });
export type SecondName = z.infer<typeof SecondName>;
/**
 * An organisation as another record shows it (a ballot, a letter, a paper sheet, a contribution): its
 * name, short name and second name. Show it with localName, so a reader of the second name's language
 * sees that one.
 */
export const OrganisationRef = /* @__PURE__ */ z.object({
  id: Id,
  name: z.string(),
  shortName: z.string().nullable(),
  secondName: SecondName.nullable(),
});
export type OrganisationRef = z.infer<typeof OrganisationRef>;
/** The input of a second name, bounded like the primary name it stands beside (`max`); null removes it. */
export const secondNameInput = (max: number) => z.strictObject({ language: LanguageSchema, name: singleLine(1, max) }).nullable();

export const TIME_ZONES = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["Asia/Phnom_Penh", "UTC"];
export const TimeZone = /* @__PURE__ */ z
  .string()
  .refine((tz) => tz === "UTC" || TIME_ZONES.includes(tz), { message: "validation.unknown_time_zone" });
export { DEFAULT_TIME_ZONE } from "./constants.ts";

/**
 * A PATCH body must change something: `.refine(hasChanges, nothingToChange())`. The issue carries a
 * code (`params.code`), which the API translates (lib/validation.ts); the message is for developers.
 * A new object per call: zod rewrites the params object it is given (message becomes error).
 */
export const NOTHING_TO_CHANGE = "nothing_to_change";
export const hasChanges = (value: object): boolean => Object.keys(value).length > 0;
export const nothingToChange = () => ({ message: "Nothing to change", params: { code: NOTHING_TO_CHANGE } });
/** What the OpenAPI document says of such a body (the refinement itself is invisible there): `.meta(changesSomething)`. */
export const changesSomething = { minProperties: 1 } as const;

/**
 * A type guard from a zod enum: `values.every(isMemberOf(TaskStatus))` narrows `string[]` to
 * `TaskStatus[]` by the schema itself, so a filter reaches the query typed, without a cast.
 */
export const isMemberOf =
  <S extends z.ZodEnum>(schema: S) =>
  (value: unknown): value is z.output<S> =>
    schema.safeParse(value).success;
