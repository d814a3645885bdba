// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { campaign, coalition, ids, memberOrganisations, organisationPeople, task } from "../../../../test/fixtures.ts";
import { conflictNotice, control, field, mockApi, problem, type Route, renderApp } from "../../../../test/render.tsx";
import { TaskFormPage } from "../TaskFormPage.tsx";
import { TaskPage } from "../TaskPage.tsx";

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const km = (key: string) => translate("km", key);
const tasksPath = `/api/coalitions/${ids.coalition}/tasks`;
const taskPath = `${tasksPath}/${ids.task}`;

/** What the create form loads: the campaigns to pick from, the member organisations, then one organisation's people. */
const lists = {
  [`GET /api/coalitions/${ids.coalition}/campaigns?limit=100`]: { body: { items: [campaign], nextCursor: null } },
  [`GET /api/coalitions/${ids.coalition}/members`]: { body: memberOrganisations },
  [`GET /api/organisations/${ids.organisation}/people`]: { body: organisationPeople },
};

const validation = (errors: { path: string; message: string }[]) =>
  problem(400, "validation_failed", "Some fields need attention", { detail: "Check the highlighted fields and try again.", errors });

describe("creating a task", () => {
  it("requires a title before sending anything, and says so beside it", async () => {
    const api = mockApi(lists);
    const { user } = await renderApp(<TaskFormPage coalition={coalition} />);
    await user.click(screen.getByRole("button", { name: en("tasks.create") }));
    const title = field(en("tasks.fieldTitle"));
    expect(title.getAttribute("aria-invalid")).toBe("true");
    const error = screen.getByText(en("validation.required"));
    expect(title.getAttribute("aria-describedby")).toContain(error.id);
    expect(document.activeElement).toBe(title);
    expect(api.calls("POST")).toEqual([]);

    // Blank is as empty as nothing.
    await user.type(title, "   ");
    await user.click(screen.getByRole("button", { name: en("tasks.create") }));
    expect(api.calls("POST")).toEqual([]);
  });

  it("sends every field in the API's shape (labels split and deduplicated, empty optional fields as null), then opens the task", async () => {
    let answer: (value: { body: unknown }) => void = () => undefined;
    const api = mockApi({
      ...lists,
      [`POST ${tasksPath}`]: () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    });
    const { user, location } = await renderApp(<TaskFormPage coalition={coalition} />, { path: `/new?campaignId=${ids.campaign}` });
    // The campaign from the link is preselected once the list has arrived.
    await waitFor(() => expect(control(field(en("tasks.campaign")), HTMLSelectElement).value).toBe(ids.campaign));
    await user.type(field(en("tasks.fieldTitle")), "Print the banners");
    await user.type(field(en("tasks.description")), "Two of them.");
    await user.selectOptions(field(en("tasks.priority")), en("priority.high"));
    await user.type(field(en("tasks.dueOn")), "2026-12-10");
    await user.type(field(en("tasks.labels")), "print, Siem Reap ,print,, ");
    // The assignees are searchable comboboxes: the person's waits for an organisation.
    const person = control(field(en("tasks.assigneePerson")), HTMLInputElement);
    expect(person.disabled).toBe(true);
    const organisation = control(field(en("tasks.assigneeOrganisation")), HTMLInputElement);
    // It shows the choice ("Nobody"), selected when focused, so typing searches afresh.
    await user.click(organisation);
    await user.keyboard("mekong");
    await user.click(await screen.findByRole("option", { name: /Mekong Friends/ }));
    await waitFor(() => expect(control(field(en("tasks.assigneePerson")), HTMLInputElement).disabled).toBe(false));
    await user.click(field(en("tasks.assigneePerson")));
    await user.keyboard("Da");
    await user.click(await screen.findByRole("option", { name: "Dara" }));
    await user.click(screen.getByRole("button", { name: en("tasks.create") }));

    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    expect(api.calls("POST")[0]).toEqual({
      method: "POST",
      path: tasksPath,
      body: {
        campaignId: ids.campaign,
        title: "Print the banners",
        description: "Two of them.",
        priority: "high",
        dueOn: "2026-12-10",
        assigneeOrganisationId: ids.organisation,
        assigneePersonId: ids.otherPerson,
        labels: ["print", "Siem Reap"],
      },
    });
    const submit = control(screen.getByRole("button", { name: en("tasks.create") }), HTMLButtonElement);
    expect(submit.disabled).toBe(true);
    expect(location.history).toEqual([`/new?campaignId=${ids.campaign}`]);

    answer({ body: task({ id: "7a5c0000-0000-4000-8000-0000000000ff" }) });
    await waitFor(() => expect(location.history.at(-1)).toBe("/7a5c0000-0000-4000-8000-0000000000ff"));
    // The task took the form's place in the history: Back does not show the form again, emptied.
    expect(location.history).toEqual(["/7a5c0000-0000-4000-8000-0000000000ff"]);
  });

  it("sends a submission again after a lost answer with the same Idempotency-Key, and a changed one with a new key", async () => {
    let posts = 0;
    const api = mockApi({
      ...lists,
      [`POST ${tasksPath}`]: () => {
        posts += 1;
        // The first two never get an answer back (the network dropped it): the page cannot tell whether they were applied.
        if (posts <= 2) throw new TypeError("Failed to fetch");
        return { body: task() };
      },
      [`GET ${taskPath}`]: { body: task() },
    });
    const { user } = await renderApp(<TaskFormPage coalition={coalition} />);
    const title = field(en("tasks.fieldTitle"));
    await user.type(title, "Print the banners");
    const create = screen.getByRole("button", { name: en("tasks.create") });
    await user.click(create);
    await screen.findByText(en("common.offlineDetail"));
    await user.click(create);
    await waitFor(() => expect(posts).toBe(2));
    await user.type(title, " today");
    await user.click(create);
    await waitFor(() => expect(posts).toBe(3));
    const keys = api.headers("POST", "Idempotency-Key");
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it("sends the minimal task with nulls and an empty label list", async () => {
    const api = mockApi({ ...lists, [`POST ${tasksPath}`]: { body: task() } });
    const { user } = await renderApp(<TaskFormPage coalition={coalition} />, { path: "/new" });
    await user.type(field(en("tasks.fieldTitle")), "Call the printer");
    await user.click(screen.getByRole("button", { name: en("tasks.create") }));
    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    expect(api.calls("POST")[0]?.body).toEqual({
      campaignId: null,
      title: "Call the printer",
      description: "",
      priority: "normal",
      dueOn: null,
      assigneeOrganisationId: null,
      assigneePersonId: null,
      labels: [],
    });
  });

  it("puts the API's field errors beside their fields (a label's error beside the labels), the rest in the summary", async () => {
    mockApi({
      ...lists,
      [`POST ${tasksPath}`]: validation([
        { path: "dueOn", message: "Use a date like 2026-12-31." },
        { path: "labels.1", message: "At most 40 characters." },
        { path: "status", message: "Not a status." },
      ]),
    });
    const { user } = await renderApp(<TaskFormPage coalition={coalition} />, { path: "/new" });
    await user.type(field(en("tasks.fieldTitle")), "Print the banners");
    await user.type(field(en("tasks.labels")), "print, a label that is far too long for the forty characters");
    await user.click(screen.getByRole("button", { name: en("tasks.create") }));

    const summary = await screen.findByRole("alert");
    expect(summary.textContent).toContain("Some fields need attention");
    expect(summary.textContent).toContain("Not a status.");
    expect(summary.textContent).not.toContain("Use a date like 2026-12-31.");
    const dueOn = field(en("tasks.dueOn"));
    expect(dueOn.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(dueOn.getAttribute("aria-describedby") ?? "")?.textContent).toBe("Use a date like 2026-12-31.");
    const labels = field(en("tasks.labels"));
    expect(labels.getAttribute("aria-invalid")).toBe("true");
    expect(labels.closest(".field")?.querySelector(".field-error")?.textContent).toBe("At most 40 characters.");
    expect(field(en("tasks.fieldTitle")).getAttribute("aria-invalid")).toBeNull();
    expect(document.activeElement).toBe(dueOn);
    expect(control(screen.getByRole("button", { name: en("tasks.create") }), HTMLButtonElement).disabled).toBe(false);
  });

  it("is labelled in Khmer for a Khmer reader", async () => {
    mockApi(lists);
    await renderApp(<TaskFormPage coalition={coalition} />, { lang: "km", path: "/new" });
    expect(screen.getByRole("heading", { name: km("tasks.createTitle") })).toBeTruthy();
    for (const key of ["tasks.fieldTitle", "tasks.priority", "tasks.dueOn", "tasks.assigneeOrganisation"])
      expect(field(km(key))).toBeTruthy();
    expect(screen.getByRole("option", { name: km("priority.urgent") })).toBeTruthy();
    expect(screen.getByRole("button", { name: km("tasks.create") })).toBeTruthy();
  });
});

describe("creating a task as a member, not a coordinator", () => {
  const member = { ...coalition, isCoordinator: false };
  const ours = {
    ...campaign,
    id: "ca3a0000-0000-4000-8000-0000000000bb",
    title: "Our campaign",
    owners: [{ id: ids.organisation, name: "Mekong Friends", shortName: "MF" }],
  };
  const theirs = { ...campaign, title: "Their campaign", owners: [{ id: ids.otherOrganisation, name: "Tonle Youth", shortName: null }] };
  const withCampaigns = (items: unknown[]) => ({
    ...lists,
    [`GET /api/coalitions/${ids.coalition}/campaigns?limit=100`]: { body: { items, nextCursor: null } },
  });

  it("offers only the campaigns their organisation co-owns, without the coalition-wide choice, and sends the one picked", async () => {
    const api = mockApi({ ...withCampaigns([theirs, ours]), [`POST ${tasksPath}`]: { body: task() } });
    // A link from another campaign's board: not theirs, so the form starts on their own.
    const { user } = await renderApp(<TaskFormPage coalition={member} />, { path: `/new?campaignId=${ids.campaign}` });
    const select = control(await screen.findByLabelText(new RegExp(`^${en("tasks.campaign")}`)), HTMLSelectElement);
    expect([...select.options].map((o) => o.textContent)).toEqual(["Our campaign"]);
    expect(select.value).toBe(ours.id);
    expect(screen.getByText(en("tasks.campaignCoOwnedHint"))).toBeTruthy();
    await user.type(field(en("tasks.fieldTitle")), "Call the printer");
    await user.click(screen.getByRole("button", { name: en("tasks.create") }));
    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    expect(api.calls("POST")[0]?.body).toMatchObject({ campaignId: ours.id, title: "Call the printer" });
  });

  it("says, in Khmer too, that they cannot create a task when they co-own no campaign, and shows no form", async () => {
    const api = mockApi(withCampaigns([theirs]));
    await renderApp(<TaskFormPage coalition={member} />, { path: "/new", lang: "km" });
    expect(await screen.findByText(km("tasks.cannotCreate"))).toBeTruthy();
    expect(screen.getByRole("link", { name: km("tasks.cannotCreateBack") })).toBeTruthy();
    expect(screen.queryByRole("button", { name: km("tasks.create") })).toBeNull();
    expect(api.calls("POST")).toEqual([]);
  });
});

describe("editing a task", () => {
  const existing = task({
    title: "Print the banners",
    description: "Two.",
    priority: "low",
    dueOn: "2026-12-10",
    labels: ["print", "urgent"],
  });

  async function openEditor(routes: Record<string, Route>) {
    const api = mockApi({ [`GET ${taskPath}`]: { body: existing }, ...lists, ...routes });
    const rendered = await renderApp(<TaskPage coalition={coalition} taskId={ids.task} />);
    await rendered.user.click(await screen.findByRole("button", { name: en("common.edit") }));
    return { api, ...rendered };
  }

  it("starts from the task's values and sends the changed task whole, then shows it", async () => {
    const { api, user } = await openEditor({
      [`PATCH ${taskPath}`]: ({ body }) => ({ body: { ...existing, ...(body as object), dueOn: null } }),
    });
    const title = control(field(en("tasks.fieldTitle")), HTMLInputElement);
    expect(title.value).toBe("Print the banners");
    expect(control(field(en("tasks.labels")), HTMLInputElement).value).toBe("print, urgent");
    expect(control(field(en("tasks.priority")), HTMLSelectElement).value).toBe("low");
    await user.clear(title);
    await user.type(title, "Print three banners");
    await user.clear(field(en("tasks.dueOn")));
    await user.type(field(en("tasks.labels")), ", print ");
    await user.click(screen.getByRole("button", { name: en("common.save") }));

    await screen.findByRole("heading", { name: "Print three banners" });
    expect(api.calls("PATCH")).toEqual([
      {
        method: "PATCH",
        path: taskPath,
        body: { title: "Print three banners", description: "Two.", priority: "low", dueOn: null, labels: ["print", "urgent"] },
      },
    ]);
    expect(screen.queryByRole("button", { name: en("common.save") })).toBeNull();
  });

  it("keeps the form open with the API's error beside the title, and does not lose the typing", async () => {
    const { user } = await openEditor({
      [`PATCH ${taskPath}`]: validation([{ path: "title", message: "Must be at least 2 characters." }]),
    });
    const title = control(field(en("tasks.fieldTitle")), HTMLInputElement);
    await user.clear(title);
    await user.type(title, "P");
    await user.click(screen.getByRole("button", { name: en("common.save") }));
    const error = await screen.findByText("Must be at least 2 characters.");
    expect(title.getAttribute("aria-describedby")).toContain(error.id);
    expect(title.value).toBe("P");
    expect(document.activeElement).toBe(title);
  });

  it("refused because someone else saved first: takes their change where this person changed nothing, keeps the typing where both did, and says which", async () => {
    const theirs = { ...existing, title: "Print four banners", priority: "high" as const, revision: 2 };
    let saved = false;
    const api = mockApi({
      [`GET ${taskPath}`]: () => ({ body: api.calls("PATCH").length === 0 ? existing : theirs }),
      ...lists,
      [`PATCH ${taskPath}`]: ({ body }) => {
        if (api.calls("PATCH").length === 1)
          return problem(412, "edit_conflict", en("errors.edit_conflict.title"), { detail: en("errors.edit_conflict.detail") });
        saved = true;
        return { body: { ...theirs, ...(body as object), revision: 3 } };
      },
    });
    const { user } = await renderApp(<TaskPage coalition={coalition} taskId={ids.task} />);
    await user.click(await screen.findByRole("button", { name: en("common.edit") }));
    const title = control(field(en("tasks.fieldTitle")), HTMLInputElement);
    await user.clear(title);
    await user.type(title, "Print the banners twice");
    const description = control(field(en("tasks.description")), HTMLTextAreaElement);
    await user.clear(description);
    await user.type(description, "Three, on cloth.");
    await user.click(screen.getByRole("button", { name: en("common.save") }));

    await screen.findByText(en("errors.edit_conflict.detail"));
    const notice = conflictNotice(en("common.editConflictTheirs"));
    // Their changes, field by field; what they did not change is not listed.
    expect(notice.fields).toEqual([en("tasks.fieldTitle"), en("tasks.priority")]);
    expect(notice.values).toEqual([
      `Print four banners (${en("common.editConflictKept")})`,
      `${en("priority.high")} (${en("common.editConflictMerged")})`,
    ]);
    // Both changed the title: the form keeps this person's. Only they changed the priority: the form now holds theirs.
    expect(title.value).toBe("Print the banners twice");
    expect(description.value).toBe("Three, on cloth.");
    expect(control(field(en("tasks.priority")), HTMLSelectElement).value).toBe("high");

    await user.click(screen.getByRole("button", { name: en("common.save") }));
    await waitFor(() => expect(saved).toBe(true));
    const ifMatch = api.headers("PATCH", "If-Match");
    expect(ifMatch).toEqual(['"1"', '"2"']);
    expect(api.calls("PATCH")[1]?.body).toEqual({
      title: "Print the banners twice",
      description: "Three, on cloth.",
      priority: "high",
      dueOn: "2026-12-10",
      labels: ["print", "urgent"],
    });
  });

  it("cancelled, sends nothing and shows the task as it was", async () => {
    const { api, user } = await openEditor({});
    await user.type(field(en("tasks.fieldTitle")), " changed");
    await user.click(screen.getByRole("button", { name: en("common.cancel") }));
    expect(screen.queryByLabelText(new RegExp(`^${en("tasks.fieldTitle")}`))).toBeNull();
    expect(screen.getByRole("heading", { name: "Print the banners" })).toBeTruthy();
    expect(api.calls("PATCH")).toEqual([]);
  });
});
