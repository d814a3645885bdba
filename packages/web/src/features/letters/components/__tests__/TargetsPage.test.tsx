// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coalition, ids, letterTarget, me } from "../../../../test/fixtures.ts";
import { control, mockApi, problem, renderApp } from "../../../../test/render.tsx";
import { TARGETS_PAGE, TargetsPage } from "../TargetsPage.tsx";

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
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

  it("keeps its search, province and archived choice in the address: drawn from it, each search a step back and forth", async () => {
    const api = mockApi({ "GET /api/me": { body: me() }, [`GET ${targets}*`]: { body: [target] } });
    // A reload of a search: the address holds it, and the list asked for is that one.
    const { user, location } = await renderApp(<TargetsPage coalition={coalition} />, {
      path: "/targets?q=Dara&province=KH-12&archived=all",
    });
    await screen.findByText("Sok Dara");
    expect(api.calls("GET", targets)[0]?.path).toBe(`${targets}?q=Dara&province=KH-12&archived=all`);
    const search = () => control(screen.getByLabelText(en("letters.targets.search")), HTMLInputElement);
    const province = () => control(screen.getByLabelText(en("letters.targets.province")), HTMLSelectElement);
    const archived = () => control(screen.getByLabelText(en("letters.targets.showArchived")), HTMLInputElement);
    expect(search().value).toBe("Dara");
    expect(province().value).toBe("KH-12");
    expect(archived().checked).toBe(true);

    // Another search goes into the address as a new step of the history.
    await user.clear(search());
    await user.type(search(), "Sok");
    await user.selectOptions(province(), "KH-3");
    await user.click(archived());
    await user.click(screen.getByRole("button", { name: en("letters.targets.filter") }));
    await waitFor(() => expect(location.history.at(-1)).toBe("/targets?q=Sok&province=KH-3"));
    expect(location.history).toEqual(["/targets?q=Dara&province=KH-12&archived=all", "/targets?q=Sok&province=KH-3"]);
    await waitFor(() => expect(api.calls("GET", targets).at(-1)?.path).toBe(`${targets}?q=Sok&province=KH-3&archived=false`));

    // Back to the first address: its filters are in the fields again.
    location.navigate("/targets?q=Dara&province=KH-12&archived=all");
    await waitFor(() => expect(search().value).toBe("Dara"));
    expect(province().value).toBe("KH-12");
    expect(archived().checked).toBe(true);
  });

  it("leaves out of the request what the API would refuse in the address (an unknown province)", async () => {
    const api = mockApi({ "GET /api/me": { body: me() }, [`GET ${targets}*`]: { body: [target] } });
    await renderApp(<TargetsPage coalition={coalition} />, { path: "/targets?province=KH-99&q=%20Dara%20" });
    await screen.findByText("Sok Dara");
    expect(api.calls("GET", targets)[0]?.path).toBe(`${targets}?q=Dara&archived=false`);
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

  describe("on a phone, with a long directory", () => {
    /** A directory of `count` recipients, as the API answers it: every one at once (it has no paging). */
    const directory = (count: number) =>
      Array.from({ length: count }, (_, i) =>
        letterTarget({
          id: `7a19e700-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
          nameEn: `Member ${i + 1}`,
          nameKm: `សមាជិក ${i + 1}`,
        }),
      );
    const rows = () => within(screen.getByRole("list")).getAllByRole("listitem");

    it(`draws ${TARGETS_PAGE} recipients at a time, says how many there are, and shows more without asking the API again`, async () => {
      const api = mockApi({ "GET /api/me": { body: me() }, [`GET ${targets}*`]: { body: directory(60) } });
      const { user } = await renderApp(<TargetsPage coalition={coalition} />, { path: "/targets" });
      await screen.findByText("Member 1");
      expect(rows()).toHaveLength(TARGETS_PAGE);
      expect(screen.queryByText(`Member ${TARGETS_PAGE + 1}`)).toBeNull();
      expect(screen.getByRole("status").textContent).toBe(en("letters.targets.shownOf", { shown: 25, total: 60 }));

      await user.click(screen.getByRole("button", { name: en("letters.targets.showMore", { count: 25 }) }));
      expect(rows()).toHaveLength(50);
      expect(screen.getByRole("status").textContent).toBe(en("letters.targets.shownOf", { shown: 50, total: 60 }));
      // The focus goes to the first row added, where reading goes on.
      expect(document.activeElement).toBe(rows()[25]);
      expect(document.activeElement?.textContent).toContain("Member 26");

      // The last page is what is left; then the button is gone and the focus is not lost with it.
      await user.click(screen.getByRole("button", { name: en("letters.targets.showMore", { count: 10 }) }));
      expect(rows()).toHaveLength(60);
      expect(screen.getByText("Member 60")).toBeTruthy();
      expect(screen.queryByRole("button", { name: /^Show/ })).toBeNull();
      expect(document.activeElement).toBe(rows()[50]);
      expect(screen.getByRole("status").textContent).toBe(en("letters.targets.count", { count: 60 }));
      expect(api.calls("GET", targets)).toHaveLength(1);
    });

    it("starts again at the first page for another search from the address, whose filters still go to the API", async () => {
      const api = mockApi({ "GET /api/me": { body: me() }, [`GET ${targets}*`]: { body: directory(60) } });
      const { user, location } = await renderApp(<TargetsPage coalition={coalition} />, { path: "/targets" });
      await user.click(await screen.findByRole("button", { name: en("letters.targets.showMore", { count: 25 }) }));
      expect(rows()).toHaveLength(50);
      act(() => location.navigate("/targets?province=KH-12"));
      await waitFor(() => expect(api.calls("GET", targets).at(-1)?.path).toBe(`${targets}?province=KH-12&archived=false`));
      await waitFor(() => expect(rows()).toHaveLength(TARGETS_PAGE));
      expect(control(screen.getByLabelText(en("letters.targets.province")), HTMLSelectElement).value).toBe("KH-12");
    });

    it("draws a short directory whole, with its count and no button", async () => {
      mockApi({ "GET /api/me": { body: me() }, [`GET ${targets}*`]: { body: directory(TARGETS_PAGE) } });
      await renderApp(<TargetsPage coalition={coalition} />, { path: "/targets" });
      await screen.findByText("Member 1");
      expect(rows()).toHaveLength(TARGETS_PAGE);
      expect(screen.getByRole("status").textContent).toBe(en("letters.targets.count", { count: TARGETS_PAGE }));
      expect(screen.queryByRole("button", { name: /^Show/ })).toBeNull();
    });

    it("counts in Khmer digits for a Khmer reader", async () => {
      const km = (key: string, params: Record<string, number>) => translate("km", key, params);
      mockApi({ "GET /api/me": { body: me() }, [`GET ${targets}*`]: { body: directory(30) } });
      await renderApp(<TargetsPage coalition={coalition} />, { path: "/targets", lang: "km" });
      await screen.findByText("សមាជិក 1");
      const status = screen.getByRole("status").textContent ?? "";
      expect(status).toBe(km("letters.targets.shownOf", { shown: 25, total: 30 }));
      expect(status).toContain("២៥");
      expect(status).toContain("៣០");
      expect(screen.getByRole("button", { name: km("letters.targets.showMore", { count: 5 }) }).textContent).toContain("៥");
    });
  });
});
