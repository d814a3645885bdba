import { NOTHING_TO_CHANGE } from "@samakki/shared/common";
import { type Language, translate } from "@samakki/shared/i18n/index";
import type { FieldError } from "@samakki/shared/problem";
import type { z } from "zod";
import { AppError } from "./errors.ts";

/** Translate zod issues into field errors in the reader's language. */
export function fieldErrors(error: z.ZodError, lang: Language, prefix = ""): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: [path, key].filter(Boolean).join("."),
        message: translate(lang, "validation.unknown_field", { name: key }),
      }));
    }
    return [{ path, message: messageFor(issue, lang) }];
  });
}

const MISSING = /received undefined$/;

function messageFor(issue: z.core.$ZodIssue, lang: Language): string {
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) <= 1) return translate(lang, "validation.required");
      if (issue.origin === "string") return translate(lang, "validation.too_short", { min: Number(issue.minimum) });
      return translate(lang, "validation.invalid");
    case "too_big":
      if (issue.origin === "string") return translate(lang, "validation.too_long", { max: Number(issue.maximum) });
      return translate(lang, "validation.invalid");
    case "invalid_format":
      if (issue.format === "email") return translate(lang, "validation.invalid_email");
      if (issue.format === "url") return translate(lang, "validation.invalid_url");
      return translate(lang, "validation.invalid");
    case "invalid_type":
      // zod keeps no input in its issues (unless asked to), but says what it received: "required"
      // only when nothing was sent, never for a value of the wrong type (`?limit=abc`).
      return MISSING.test(issue.message) ? translate(lang, "validation.required") : translate(lang, "validation.invalid");
    case "custom":
      if (issue.params?.code === NOTHING_TO_CHANGE) return translate(lang, "validation.nothing_to_change");
      // Schemas name a catalog key for their own checks (e.g. "validation.text_required").
      return issue.message.startsWith("validation.") ? translate(lang, issue.message) : translate(lang, "validation.invalid");
    default:
      return translate(lang, "validation.invalid");
  }
}

export function validationError(error: z.ZodError, lang: Language, prefix = ""): AppError {
  return new AppError("validation_failed", "invalid input", { fieldErrors: fieldErrors(error, lang, prefix) });
}
