// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { letterTarget } from "../../../../test/fixtures.ts";
import { mockApi, renderApp } from "../../../../test/render.tsx";
import { RecipientPicker } from "../RecipientPicker.tsx";

describe("a letter's recipients", () => {
  it("an archived recipient stays on the letter that has it, marked, and is offered to no other", async () => {
    mockApi({});
    const kept = letterTarget({ id: "7a000000-0000-4000-8000-000000000001", nameEn: "Heng Vanna", archived: true });
    const gone = letterTarget({ id: "7a000000-0000-4000-8000-000000000002", nameEn: "Keo Sophal", archived: true });
    const active = letterTarget({ id: "7a000000-0000-4000-8000-000000000003", nameEn: "Chan Dara" });
    await renderApp(<RecipientPicker targets={[kept, gone, active]} chosen={new Set([kept.id])} onChange={() => {}} />);
    const box = screen.getByRole<HTMLInputElement>("checkbox", { name: /Heng Vanna/ });
    expect(box.checked).toBe(true);
    expect(box.closest("label")?.textContent).toContain(translate("en", "letters.targets.archived"));
    expect(screen.queryByText(/Keo Sophal/)).toBeNull();
    expect(screen.getByRole("checkbox", { name: /Chan Dara/ })).toBeTruthy();
  });
});
