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

  it("says a field is required only when it is missing, and invalid when it holds the wrong type", () => {
    const schema = z.strictObject({ title: z.string(), limit: z.coerce.number().int(), labels: z.array(z.string()) });
    const required = translate("km", "validation.required");
    const invalid = translate("km", "validation.invalid");
    expect(errorsOf(schema, { limit: 1 })).toEqual([
      { path: "title", message: required },
      { path: "labels", message: required },
    ]);
    expect(errorsOf(schema, { title: 5, limit: "abc", labels: ["a", 1] })).toEqual([
      { path: "title", message: invalid },
      { path: "limit", message: invalid },
      { path: "labels.1", message: invalid },
    ]);
    expect(errorsOf(schema, { title: null, limit: ["5", "6"], labels: "a" }).map((e) => e.message)).toEqual([invalid, invalid, invalid]);
  });
});
