// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { useMutation } from "@tanstack/react-query";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { api } from "../../lib/api-client.ts";
import { me } from "../../test/fixtures.ts";
import { control, mockApi, problem, type Route, renderApp } from "../../test/render.tsx";
import { Button } from "../Button.tsx";
// The prompt's own chunk, which the app fetches the first time a request asks for the password:
// loaded ahead here so that fetching it is not what the tests wait for.
import "../ReauthDialog.tsx";

const en = (key: string) => translate("en", key);
const sensitive = "/api/coalitions/export";

/** A sensitive action as pages have them: a button that shows its pending state (so it is disabled meanwhile). */
function SensitiveAction() {
  const run = useMutation({ mutationFn: () => api.post(sensitive, { what: "everything" }) });
  return (
    <>
      <Button pending={run.isPending} onClick={() => run.mutate()}>
        Export
      </Button>
      {run.isSuccess ? <p>Exported</p> : null}
      {run.isError ? <p>Failed: {run.error.message}</p> : null}
    </>
  );
}

const needsPassword = () => problem(403, "reauthentication_required", "Confirm your password");

/** The sensitive request answers "confirm your password" once, then goes through. */
function routes(reauthenticate: Route = { status: 204 }, person = {}) {
  let asked = 0;
  return {
    "GET /api/me": { body: me(person) },
    [`POST ${sensitive}`]: () => (asked++ === 0 ? needsPassword() : { status: 204 }),
    "POST /api/auth/reauthenticate": reauthenticate,
  };
}

const exportButton = () => screen.getByRole("button", { name: "Export" });
const prompt = () => screen.getByRole("dialog", { name: en("errors.reauthentication_required.title") });
const passwordField = () => within(prompt()).getByLabelText(en("auth.password"));
const dialogElement = () => control(document.querySelector("dialog"), HTMLDialogElement);

async function startSensitiveAction(user: Awaited<ReturnType<typeof renderApp>>["user"]) {
  await user.click(exportButton());
  await waitFor(() => expect(dialogElement().open).toBe(true));
}

describe("the password prompt", () => {
  it("opens when the API asks for the password, with focus in its password field", async () => {
    mockApi(routes());
    const { user } = await renderApp(<SensitiveAction />);
    // Not on the page until a request asks: its code loads then (app/providers.tsx).
    expect(document.querySelector("dialog")).toBeNull();
    expect(screen.queryByLabelText(en("auth.password"))).toBeNull();
    await startSensitiveAction(user);
    expect(prompt().textContent).toContain(en("errors.reauthentication_required.detail"));
    expect(document.activeElement).toBe(passwordField());
    expect(control(passwordField(), HTMLInputElement).type).toBe("password");
  });

  it("sends the password, then repeats the original request, and gives focus back to the action's button", async () => {
    const api = mockApi(routes());
    const { user } = await renderApp(<SensitiveAction />);
    await startSensitiveAction(user);
    expect(control(exportButton(), HTMLButtonElement).disabled).toBe(true);
    await user.type(passwordField(), "correct horse battery");
    await user.click(within(prompt()).getByRole("button", { name: en("common.confirm") }));

    await screen.findByText("Exported");
    expect(api.calls("POST")).toEqual([
      { method: "POST", path: sensitive, body: { what: "everything" } },
      { method: "POST", path: "/api/auth/reauthenticate", body: { password: "correct horse battery" } },
      { method: "POST", path: sensitive, body: { what: "everything" } },
    ]);
    expect(dialogElement().open).toBe(false);
    expect(screen.queryByLabelText(en("auth.password"))).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(exportButton()));
  });

  it("shows a wrong password beside the field, stays open, and repeats nothing until the right one", async () => {
    let tries = 0;
    const api = mockApi(
      routes(() =>
        tries++ === 0
          ? problem(401, "wrong_password", "Wrong password", {
              errors: [{ path: "password", message: "The password is not correct." }],
            })
          : { status: 204 },
      ),
    );
    const { user } = await renderApp(<SensitiveAction />);
    await startSensitiveAction(user);
    await user.type(passwordField(), "wrong");
    await user.click(within(prompt()).getByRole("button", { name: en("common.confirm") }));

    const error = await within(prompt()).findByText("The password is not correct.");
    expect(passwordField().getAttribute("aria-invalid")).toBe("true");
    expect(passwordField().getAttribute("aria-describedby")).toContain(error.id);
    expect(within(prompt()).getByRole("alert").textContent).toContain("Wrong password");
    expect(document.activeElement).toBe(passwordField());
    expect(dialogElement().open).toBe(true);
    expect(api.calls("POST", sensitive)).toHaveLength(1);

    await user.clear(passwordField());
    await user.type(passwordField(), "right");
    await user.click(within(prompt()).getByRole("button", { name: en("common.confirm") }));
    await screen.findByText("Exported");
    expect(api.calls("POST", sensitive)).toHaveLength(2);
  });

  it("does not send an empty password", async () => {
    const api = mockApi(routes());
    const { user } = await renderApp(<SensitiveAction />);
    await startSensitiveAction(user);
    await user.click(within(prompt()).getByRole("button", { name: en("common.confirm") }));
    expect(await within(prompt()).findByText(en("validation.required"))).toBeTruthy();
    expect(api.calls("POST", "/api/auth/reauthenticate")).toEqual([]);
  });

  it("cancelled, closes without sending anything: the action fails with the API's answer, and focus goes back to its button", async () => {
    const api = mockApi(routes());
    const { user } = await renderApp(<SensitiveAction />);
    await startSensitiveAction(user);
    await user.type(passwordField(), "never sent");
    await user.click(within(prompt()).getByRole("button", { name: en("common.cancel") }));

    expect(await screen.findByText("Failed: Confirm your password")).toBeTruthy();
    expect(dialogElement().open).toBe(false);
    expect(api.calls("POST")).toEqual([{ method: "POST", path: sensitive, body: { what: "everything" } }]);
    await waitFor(() => expect(document.activeElement).toBe(exportButton()));
  });

  it("Escape (the dialog's cancel event) cancels the same way", async () => {
    const api = mockApi(routes());
    const { user } = await renderApp(<SensitiveAction />);
    await startSensitiveAction(user);
    fireEvent(dialogElement(), new Event("cancel"));
    expect(await screen.findByText("Failed: Confirm your password")).toBeTruthy();
    expect(api.calls("POST", "/api/auth/reauthenticate")).toEqual([]);
    expect(screen.queryByLabelText(en("auth.password"))).toBeNull();
  });

  it("takes a code from the authenticator app instead, for people with two-factor authentication", async () => {
    const api = mockApi(routes({ status: 204 }, { twoFactorEnabled: true }));
    const { user } = await renderApp(<SensitiveAction />);
    await startSensitiveAction(user);
    await user.click(await within(prompt()).findByRole("button", { name: en("twoFactor.reauthUseCode") }));
    const dialog = screen.getByRole("dialog", { name: en("twoFactor.reauthCodeTitle") });
    await user.type(within(dialog).getByLabelText(en("twoFactor.codeLabel")), "123456");
    await user.click(within(dialog).getByRole("button", { name: en("common.confirm") }));
    await screen.findByText("Exported");
    expect(api.calls("POST", "/api/auth/reauthenticate")[0]?.body).toEqual({ code: "123456" });
  });

  it("asks in Khmer for a Khmer reader", async () => {
    mockApi(routes());
    const { user } = await renderApp(<SensitiveAction />, { lang: "km" });
    await startSensitiveAction(user);
    const dialog = screen.getByRole("dialog", { name: translate("km", "errors.reauthentication_required.title") });
    expect(dialog.textContent).toMatch(/[\u1780-\u17FF]/);
    expect(within(dialog).getByLabelText(translate("km", "auth.password"))).toBeTruthy();
    expect(within(dialog).getByRole("button", { name: translate("km", "common.confirm") })).toBeTruthy();
  });
});
