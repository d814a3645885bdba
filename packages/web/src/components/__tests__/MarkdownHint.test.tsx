// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp } from "../../test/render.tsx";
import { TextAreaField } from "../Field.tsx";
import { MarkdownHint } from "../MarkdownHint.tsx";

describe("MarkdownHint", () => {
  it.each(["en", "km"] as const)("shows in %s what to type beside what it gives, as the field's description", async (lang) => {
    await renderApp(<TextAreaField label="Comment" name="body" hint={<MarkdownHint />} />, { lang });
    const field = await screen.findByRole("textbox", { name: "Comment" });
    const hint = document.getElementById(field.getAttribute("aria-describedby") ?? "");
    expect(hint).not.toBeNull();
    const bold = translate(lang, "campaigns.formatBold");
    const italic = translate(lang, "campaigns.formatItalic");
    const link = translate(lang, "campaigns.formatLinkText");
    // The syntax, typed as it is typed…
    expect([...(hint?.querySelectorAll("code") ?? [])].map((code) => code.textContent)).toEqual([
      `**${bold}**`,
      `*${italic}*`,
      `- ${translate(lang, "campaigns.formatListItem")}`,
      `[${link}](https://…)`,
    ]);
    // …and what it gives, formatted, in the reader's language.
    expect(hint?.querySelector("strong")?.textContent).toBe(bold);
    expect(hint?.querySelector("em")?.textContent).toBe(italic);
    expect(hint?.querySelector(".link-like")?.textContent).toBe(link);
    expect(hint?.textContent?.startsWith(translate(lang, "campaigns.formatting"))).toBe(true);
    // Phrasing content only: the hint is a paragraph.
    expect(hint?.tagName).toBe("P");
    expect(hint?.querySelector("div, p, ul, details")).toBeNull();
  });
});
