// @vitest-environment happy-dom
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { LanguageSelectField } from "../Field.tsx";

describe("a select's default", () => {
  it("is what a form's reset comes back to, not its first option", () => {
    const { container } = render(
      <form>
        <LanguageSelectField label="Language" defaultValue="km" />
      </form>,
    );
    const select = container.querySelector("select") as HTMLSelectElement;
    expect(select.value).toBe("km");
    // reset() selects the options that carry the `selected` attribute (HTML's reset algorithm for a
    // select; happy-dom does not run it, Chromium does): the default's, and only it.
    expect(Array.from(select.options).map((o) => [o.value, o.hasAttribute("selected")])).toEqual([
      ["en", false],
      ["km", true],
    ]);
  });
});
