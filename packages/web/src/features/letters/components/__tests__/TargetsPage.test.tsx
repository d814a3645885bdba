// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coalition, ids, letterTarget, me } from "../../../../test/fixtures.ts";
import { control, mockApi, problem, renderApp } from "../../../../test/render.tsx";
import { TargetsPage } from "../TargetsPage.tsx";

const en = (key: string) => translate("en", key);
const targets = `/api/coalitions/${ids.coalition}/letter-targets`;
const target = letterTarget();

describe("the letter targets directory", () => {
  // On a phone the import card stands below the list: drawn before the list came, it moved down
  // under the finger when it did.
  it("is drawn once the list has its first answer, and stays drawn while a search is on its way", async () => {
    let answer: (value: { body: unknown }) => void = () => undefined;
    const api = mockApi({
      "GET /api/me": { body: me() },
      [`GET ${targets}*`]: () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    });
    const { user } = await renderApp(<TargetsPage coalition={coalition} />, { path: "/" });
    await waitFor(() => expect(api.calls("GET", targets)).toHaveLength(1));
    expect(screen.getByText(en("common.loading"))).toBeTruthy();
    expect(screen.queryByRole("heading", { name: en("letters.import.title") })).toBeNull();
    answer({ body: [target] });
    expect(await screen.findByRole("heading", { name: en("letters.import.title") })).toBeTruthy();
    expect(screen.getByText("Sok Dara")).toBeTruthy();
    // A search: its answer held, the page (and what the import form holds) stays.
    const csv = control(document.querySelector('textarea[name="csv"]'), HTMLTextAreaElement);
    await user.type(csv, "name_en,email");
    await user.type(screen.getByLabelText(en("letters.targets.search")), "Dara");
    await user.click(screen.getByRole("button", { name: en("letters.targets.filter") }));
    await waitFor(() => expect(api.calls("GET", targets)).toHaveLength(2));
    expect(screen.getByRole("heading", { name: en("letters.import.title") })).toBeTruthy();
    expect(screen.getByRole("heading", { name: en("letters.targets.title") })).toBeTruthy();
    expect(control(document.querySelector('textarea[name="csv"]'), HTMLTextAreaElement).value).toBe("name_en,email");
  });

  it("says why an archive did not go through, instead of nothing", async () => {
    const api = mockApi({
      "GET /api/me": { body: me() },
      [`GET ${targets}*`]: { body: [target] },
      [`PATCH ${targets}/${target.id}`]: problem(403, "forbidden", "You may not do this"),
    });
    const { user } = await renderApp(<TargetsPage coalition={coalition} />, { path: "/" });
    await user.click(await screen.findByRole("button", { name: en("letters.targets.archive") }));
    // The problem said in the reader's language from its code, as the API does.
    expect(await screen.findByText(translate("en", "errors.forbidden.title"))).toBeTruthy();
    expect(api.calls("PATCH")).toHaveLength(1);
  });

  it("previews an import in the reader's language: Khmer digits, and the Khmer name where the file has one", async () => {
    const km = (key: string) => translate("km", key);
    // The target as a file's row gives it: its fields, without what the directory adds.
    const { id: _id, archived: _archived, updatedAt: _updatedAt, ...input } = target;
    mockApi({
      "GET /api/me": { body: me() },
      [`GET ${targets}*`]: { body: [] },
      [`POST ${targets}/import/preview`]: {
        body: {
          rows: [
            {
              line: 2,
              target: input,
              errors: [],
            },
          ],
          valid: 1,
          invalid: 0,
        },
      },
    });
    const { user } = await renderApp(<TargetsPage coalition={coalition} />, { path: "/", lang: "km" });
    await screen.findByRole("heading", { name: km("letters.import.title") });
    const csv = control(document.querySelector('textarea[name="csv"]'), HTMLTextAreaElement);
    await user.type(csv, "name_km,name_en");
    await user.click(screen.getByRole("button", { name: km("letters.import.preview") }));
    expect(await screen.findByText(`${km("letters.import.line")} ២: សុខ ដារា`)).toBeTruthy();
  });
});
