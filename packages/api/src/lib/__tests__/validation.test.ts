import { hasChanges, nothingToChange } from "@samakki/shared/common";
import { translate } from "@samakki/shared/i18n/index";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrors } from "../validation.ts";

describe("fieldErrors", () => {
  const errorsOf = (schema: z.ZodType, input: unknown) => {
    const result = schema.safeParse(input);
    if (result.success) throw new Error("expected a validation error");
    return fieldErrors(result.error, "km");
  };

  it("translates an empty PATCH body by the issue's code, whatever its message says", () => {
    const patch = z.strictObject({ name: z.string().optional() });
    expect(errorsOf(patch.refine(hasChanges, nothingToChange()), {})).toEqual([
      { path: "", message: translate("km", "validation.nothing_to_change") },
    ]);
    expect(errorsOf(patch.refine(hasChanges, { ...nothingToChange(), message: "Empty body" }), {})).toEqual([
      { path: "", message: translate("km", "validation.nothing_to_change") },
    ]);
    // The old message text alone, without the code, is only an invalid input.
    expect(errorsOf(patch.refine(hasChanges, { message: "Nothing to change" }), {})).toEqual([
      { path: "", message: translate("km", "validation.invalid") },
    ]);
  });
});
