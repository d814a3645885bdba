// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ids, invitation, me, organisation, organisationPeople } from "../../../../test/fixtures.ts";
import { control, field, mockApi, problem, type Route, renderApp, type SentRequest } from "../../../../test/render.tsx";
import { OrganisationPage } from "../OrganisationPage.tsx";

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const km = (key: string, params?: Record<string, string | number>) => translate("km", key, params);
const orgPath = `/api/organisations/${ids.organisation}`;
const invitationsPath = `${orgPath}/invitations`;

/** The organisation page as its admin sees it, with no pending invitation until one is sent. */
function page(invite: Route) {
  let sent = false;
  return {
    "GET /api/me": { body: me() },
    [`GET ${orgPath}`]: { body: organisation },
    [`GET ${orgPath}/people`]: { body: organisationPeople },
    [`GET ${invitationsPath}`]: () => ({ body: sent ? [invitation({ displayName: "Vanna" })] : [] }),
    [`POST ${invitationsPath}`]: async (request: SentRequest) => {
      const answer = typeof invite === "function" ? await invite(request) : invite;
      sent = !(answer instanceof Response);
      return answer;
    },
  };
}

async function inviteCard() {
  const heading = await screen.findByRole("heading", { name: en("organisation.inviteTitle") });
  const card = heading.closest("section, .card");
  if (!(card instanceof HTMLElement)) throw new Error("no card around the invitation form");
  return card;
}
const sendButton = (card: HTMLElement) => within(card).getByRole("button", { name: en("organisation.inviteSubmit") });

describe("inviting a person to an organisation", () => {
  it("needs an email address before sending anything", async () => {
    const api = mockApi(page({ body: invitation() }));
    const { user } = await renderApp(<OrganisationPage organisationId={ids.organisation} />);
    const card = await inviteCard();
    await user.click(sendButton(card));
    const email = field(en("auth.email"), card);
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(email.getAttribute("aria-describedby") ?? "")?.textContent).toBe(en("validation.required"));
    expect(document.activeElement).toBe(email);
    expect(api.calls("POST")).toEqual([]);
  });

  it("sends the address, the name when given, the role and the language; then says so, clears the form and lists the invitation", async () => {
    let answer: (value: { body: unknown }) => void = () => undefined;
    const api = mockApi(
      page(
        () =>
          new Promise((resolve) => {
            answer = resolve;
          }),
      ),
    );
    const { user } = await renderApp(<OrganisationPage organisationId={ids.organisation} />);
    const card = await inviteCard();
    // The invitation's language starts as the reader's.
    expect(control(field(en("organisation.inviteLanguage"), card), HTMLSelectElement).value).toBe("en");
    await user.type(field(en("auth.email"), card), "vanna@example.org");
    await user.type(field(en("organisation.inviteName"), card), "  Vanna ");
    await user.selectOptions(field(en("organisation.inviteLanguage"), card), "km");
    await user.selectOptions(field(en("organisation.role"), card), "admin");
    await user.click(sendButton(card));

    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    expect(api.calls("POST")[0]).toEqual({
      method: "POST",
      path: invitationsPath,
      body: { email: "vanna@example.org", role: "admin", displayName: "Vanna", language: "km" },
    });
    expect(control(sendButton(card), HTMLButtonElement).disabled).toBe(true);

    answer({ body: invitation({ displayName: "Vanna", role: "admin" }) });
    expect((await screen.findByRole("status")).textContent).toBe(en("organisation.invited", { email: "vanna@example.org" }));
    expect(control(field(en("auth.email"), card), HTMLInputElement).value).toBe("");
    expect(control(field(en("organisation.inviteName"), card), HTMLInputElement).value).toBe("");
    expect((await screen.findByTestId("pending-invitations")).textContent).toContain("Vanna · vanna@example.org");
  });

  it("leaves the name out when it is blank, and a member is a member", async () => {
    const api = mockApi(page({ body: invitation() }));
    const { user } = await renderApp(<OrganisationPage organisationId={ids.organisation} />);
    const card = await inviteCard();
    await user.type(field(en("auth.email"), card), "vanna@example.org");
    await user.type(field(en("organisation.inviteName"), card), "   ");
    await user.click(sendButton(card));
    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    expect(api.calls("POST")[0]?.body).toEqual({ email: "vanna@example.org", role: "member", language: "en" });
  });

  it("shows the API's refusal beside the email field (already a member) and keeps the form as typed", async () => {
    mockApi(
      page(
        problem(409, "email_taken", "Email already in use", {
          detail: "This person already belongs to the organisation.",
          errors: [{ path: "email", message: "This person already belongs to the organisation." }],
        }),
      ),
    );
    const { user } = await renderApp(<OrganisationPage organisationId={ids.organisation} />);
    const card = await inviteCard();
    await user.type(field(en("auth.email"), card), "dara@example.org");
    await user.click(sendButton(card));

    const alert = await within(card).findByRole("alert");
    expect(alert.textContent).toContain("Email already in use");
    // The detail sits beside the field, not repeated in the summary.
    expect(alert.textContent).not.toContain("This person already belongs to the organisation.");
    const email = control(field(en("auth.email"), card), HTMLInputElement);
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(email.getAttribute("aria-describedby") ?? "")?.textContent).toBe(
      "This person already belongs to the organisation.",
    );
    expect(email.value).toBe("dara@example.org");
    expect(within(card).queryByRole("status")).toBeNull();
    expect(control(sendButton(card), HTMLButtonElement).disabled).toBe(false);
  });

  it("is labelled in Khmer for a Khmer reader, with Khmer as the invitation's language", async () => {
    mockApi(page({ body: invitation() }));
    await renderApp(<OrganisationPage organisationId={ids.organisation} />, { lang: "km" });
    const heading = await screen.findByRole("heading", { name: km("organisation.inviteTitle") });
    const card = heading.closest(".card");
    if (!(card instanceof HTMLElement)) throw new Error("no card");
    expect(field(km("auth.email"), card)).toBeTruthy();
    expect(control(field(km("organisation.inviteLanguage"), card), HTMLSelectElement).value).toBe("km");
    expect(within(card).getByRole("option", { name: km("role.admin") })).toBeTruthy();
    expect(within(card).getByRole("button", { name: km("organisation.inviteSubmit") })).toBeTruthy();
  });
});
