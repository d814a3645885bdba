// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../../test/fixtures.ts";
import { mockApi, renderApp } from "../../../../test/render.tsx";
import { SignInPage } from "../SignInPage.tsx";

const en = (key: string) => translate("en", key);

describe("the sign-in page", () => {
  it("shows the form while the session check is still on its way", async () => {
    let answer: (value: { status: number; body: null }) => void = () => undefined;
    mockApi({
      "GET /api/me": () => new Promise((resolve) => (answer = resolve)),
      "GET /api/setup": { body: { needed: false } },
    });
    await renderApp(<SignInPage />, { path: "/sign-in" });
    expect(await screen.findByRole("heading", { level: 1, name: en("signIn.title") })).toBeTruthy();
    expect(screen.getByLabelText(new RegExp(`^${en("auth.email")}`))).toBeTruthy();
    answer({ status: 401, body: null });
    // Signed out: the form stays.
    await waitFor(() => expect(screen.getByRole("heading", { level: 1, name: en("signIn.title") })).toBeTruthy());
  });

  it("sends a person who is already signed in on to where they were going, once the answer arrives", async () => {
    mockApi({ "GET /api/me": { body: me() }, "GET /api/setup": { body: { needed: false } } });
    const { location } = await renderApp(<SignInPage />, { path: "/sign-in?next=%2Fnotifications" });
    await waitFor(() => expect(location.history?.at(-1)).toBe("/notifications"));
  });

  it("keeps a sign-in that lands before the first session check answers: the late answer (for the old cookie) is dropped", async () => {
    let answer: (value: { status: number; body: null }) => void = () => undefined;
    mockApi({
      "GET /api/me": () => new Promise((resolve) => (answer = resolve)),
      "GET /api/setup": { body: { needed: false } },
      "POST /api/auth/sign-in": { body: me() },
    });
    const { user, location } = await renderApp(<SignInPage />, { path: "/sign-in?next=%2Fnotifications" });
    await user.type(screen.getByLabelText(new RegExp(`^${en("auth.email")}`)), "sokha@example.org");
    await user.type(screen.getByLabelText(new RegExp(`^${en("auth.password")}`)), "ribbons for freedom 2026");
    await user.click(screen.getByRole("button", { name: en("signIn.submit") }));
    // Sent on (this page alone is rendered here, so it stays on screen: signed in, it draws nothing).
    await waitFor(() => expect(location.history).toContain("/notifications"));
    answer({ status: 401, body: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Still signed in: the page does not fall back to the form.
    expect(screen.queryByRole("heading", { level: 1, name: en("signIn.title") })).toBeNull();
  });
});
