// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { act, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { campaign, coalition, ids, statement } from "../../../../test/fixtures.ts";
import { control, field, mockApi, problem, renderApp } from "../../../../test/render.tsx";
import { NewStatementPage } from "../NewStatementPage.tsx";

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const km = (key: string, params?: Record<string, string | number>) => translate("km", key, params);
const statementsPath = `/api/coalitions/${ids.coalition}/statements`;
const campaigns = { [`GET /api/coalitions/${ids.coalition}/campaigns?limit=100`]: { body: { items: [campaign], nextCursor: null } } };
const saveButton = () => screen.getByRole("button", { name: en("statements.saveDraft") });

describe("proposing a statement", () => {
  it("checks the title and that one of the two texts is written before sending anything", async () => {
    const api = mockApi(campaigns);
    const { user } = await renderApp(<NewStatementPage coalition={coalition} />);
    await user.click(saveButton());
    const title = field(en("statements.fieldTitle"));
    const bodyEn = field(en("statements.bodyEn"));
    expect(title.getAttribute("aria-invalid")).toBe("true");
    expect(title.closest(".field")?.querySelector(".field-error")?.textContent).toBe(en("validation.required"));
    expect(bodyEn.getAttribute("aria-invalid")).toBe("true");
    expect(bodyEn.closest(".field")?.querySelector(".field-error")?.textContent).toBe(en("statements.bodyRequired"));
    await waitFor(() => expect(document.activeElement).toBe(title));

    await user.type(title, " A ");
    await user.type(field(en("statements.bodyKm")), "   ");
    await user.click(saveButton());
    expect(title.closest(".field")?.querySelector(".field-error")?.textContent).toBe(en("validation.too_short", { min: 2 }));
    expect(bodyEn.getAttribute("aria-invalid")).toBe("true");
    expect(api.calls("POST")).toEqual([]);
  });

  it("sends the trimmed title, both texts as written and the campaign, disabled meanwhile, then opens the draft", async () => {
    let answer: (value: { body: unknown }) => void = () => undefined;
    const api = mockApi({
      ...campaigns,
      [`POST ${statementsPath}`]: () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    });
    // Opened from the statements list.
    const { user, location } = await renderApp(<NewStatementPage coalition={coalition} />, { path: "/" });
    act(() => location.navigate("/new"));
    await user.type(field(en("statements.fieldTitle")), "  Protect the river ");
    await user.type(field(en("statements.bodyKm")), "យើងស្នើ…");
    await user.selectOptions(await screen.findByLabelText(new RegExp(`^${en("statements.campaign")}`)), campaign.title);
    await user.click(saveButton());

    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    expect(api.calls("POST")[0]).toEqual({
      method: "POST",
      path: statementsPath,
      body: { title: "Protect the river", bodyEn: "", bodyKm: "យើងស្នើ…", campaignId: ids.campaign },
    });
    expect(control(saveButton(), HTMLButtonElement).disabled).toBe(true);
    answer({ body: statement() });
    await waitFor(() => expect(location.history.at(-1)).toBe(`/${ids.statement}`));
    // The draft took the form's place in the history: Back returns to the list, not to an empty form.
    expect(location.history).toEqual(["/", `/${ids.statement}`]);
  });

  it("leaves the campaign out when none is chosen", async () => {
    const api = mockApi({ ...campaigns, [`POST ${statementsPath}`]: { body: statement() } });
    const { user } = await renderApp(<NewStatementPage coalition={coalition} />);
    const select = control(await screen.findByLabelText(new RegExp(`^${en("statements.campaign")}`)), HTMLSelectElement);
    expect(select.selectedOptions[0]?.textContent).toBe(en("statements.noCampaign"));
    await user.type(field(en("statements.fieldTitle")), "Protect the river");
    await user.type(field(en("statements.bodyEn")), "We ask…");
    await user.click(saveButton());
    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    expect(api.calls("POST")[0]?.body).toEqual({ title: "Protect the river", bodyEn: "We ask…", bodyKm: "" });
  });

  it("has no campaign field when the coalition has no campaign", async () => {
    const api = mockApi({ [`GET /api/coalitions/${ids.coalition}/campaigns?limit=100`]: { body: { items: [], nextCursor: null } } });
    await renderApp(<NewStatementPage coalition={coalition} />);
    await waitFor(() => expect(api.calls("GET")).toHaveLength(1));
    expect(screen.queryByLabelText(new RegExp(`^${en("statements.campaign")}`))).toBeNull();
    expect(field(en("statements.fieldTitle"))).toBeTruthy();
  });

  it("shows the API's field errors beside the title and the text, and keeps what was written", async () => {
    mockApi({
      ...campaigns,
      [`POST ${statementsPath}`]: problem(400, "validation_failed", "Some fields need attention", {
        errors: [
          { path: "bodyEn", message: "At most 100000 characters." },
          { path: "campaignId", message: "Not a campaign of this coalition." },
        ],
      }),
    });
    const { user } = await renderApp(<NewStatementPage coalition={coalition} />);
    await user.type(field(en("statements.fieldTitle")), "Protect the river");
    await user.type(field(en("statements.bodyEn")), "We ask…");
    await user.selectOptions(await screen.findByLabelText(new RegExp(`^${en("statements.campaign")}`)), campaign.title);
    await user.click(saveButton());

    expect((await screen.findByRole("alert")).textContent).toContain("Some fields need attention");
    const bodyEn = control(field(en("statements.bodyEn")), HTMLTextAreaElement);
    expect(bodyEn.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(bodyEn.getAttribute("aria-describedby") ?? "")?.textContent).toBe("At most 100000 characters.");
    const select = field(en("statements.campaign"));
    expect(select.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(select.getAttribute("aria-describedby") ?? "")?.textContent).toBe("Not a campaign of this coalition.");
    expect(bodyEn.value).toBe("We ask…");
    expect(document.activeElement).toBe(bodyEn);
  });

  it("is labelled in Khmer for a Khmer reader, each text field marked with its language", async () => {
    mockApi(campaigns);
    await renderApp(<NewStatementPage coalition={coalition} />, { lang: "km" });
    expect(screen.getByRole("heading", { name: km("statements.newTitle") })).toBeTruthy();
    expect(field(km("statements.fieldTitle"))).toBeTruthy();
    expect(field(km("statements.bodyEn")).getAttribute("lang")).toBe("en");
    expect(field(km("statements.bodyKm")).getAttribute("lang")).toBe("km");
    expect(screen.getByRole("button", { name: km("statements.saveDraft") })).toBeTruthy();
  });
});
