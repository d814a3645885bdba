// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coalition, ids, me, statement } from "../../../../test/fixtures.ts";
import { conflictNotice, control, field, mockApi, problem, renderApp } from "../../../../test/render.tsx";
import { StatementPage } from "../StatementPage.tsx";

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const one = `/api/coalitions/${ids.coalition}/statements/${ids.statement}`;

describe("editing a statement's text while someone else does", () => {
  it("refused because a version was saved meanwhile: takes their title, keeps the typed text, and the next save is based on theirs", async () => {
    const mine = statement();
    const theirVersion = { ...mine.current, id: "7e450000-0000-4000-8000-0000000000f2", number: 2, title: "Protect the river now" };
    const theirs = { ...mine, title: theirVersion.title, versionCount: 2, versions: [mine.current, theirVersion], current: theirVersion };
    let posts = 0;
    const api = mockApi({
      "GET /api/me": { body: me() },
      [`GET ${one}`]: () => ({ body: posts === 0 ? mine : theirs }),
      [`GET ${one}/versions/*`]: { body: [] },
      [`GET /api/coalitions/${ids.coalition}/statements*`]: { body: { items: [], nextCursor: null } },
      [`POST ${one}/versions`]: () => {
        posts += 1;
        if (posts === 1)
          return problem(412, "edit_conflict", en("errors.edit_conflict.title"), { detail: en("errors.edit_conflict.detail") });
        return { body: { ...theirs, versionCount: 3, current: { ...theirVersion, number: 3, bodyEn: "We ask, together." } } };
      },
    });
    const { user } = await renderApp(<StatementPage coalition={coalition} statementId={ids.statement} />);
    await user.click(await screen.findByRole("button", { name: en("statements.edit") }));
    const body = control(field(en("statements.bodyEn")), HTMLTextAreaElement);
    await user.clear(body);
    await user.type(body, "We ask, together.");
    await user.click(screen.getByRole("button", { name: en("statements.saveVersion") }));

    await screen.findByText(en("errors.edit_conflict.detail"));
    const notice = conflictNotice(en("common.editConflictTheirs"));
    expect(notice.fields).toEqual([en("statements.fieldTitle")]);
    expect(notice.values).toEqual([`Protect the river now (${en("common.editConflictMerged")})`]);
    // Their title in the form (this person did not touch it), beside this person's text.
    expect(body.value).toBe("We ask, together.");
    expect(control(field(en("statements.fieldTitle")), HTMLInputElement).value).toBe("Protect the river now");
    // The next save makes version 3, after theirs.
    expect(screen.getByText(en("statements.editIntro", { number: 3 }))).toBeTruthy();

    await user.click(screen.getByRole("button", { name: en("statements.saveVersion") }));
    await waitFor(() => expect(posts).toBe(2));
    const ifMatch = api.headers("POST", "If-Match");
    expect(ifMatch).toEqual(['"1"', '"2"']);
    expect(api.calls("POST", `${one}/versions`)[1]?.body).toEqual({
      title: "Protect the river now",
      bodyEn: "We ask, together.",
      bodyKm: "",
    });
  });
});
