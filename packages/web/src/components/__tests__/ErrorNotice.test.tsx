// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../lib/api-client.ts";
import { renderApp } from "../../test/render.tsx";
import { FormProblem } from "../Form.tsx";
import { ErrorNotice } from "../Status.tsx";

describe("ErrorNotice and FormProblem", () => {
  it("says an answer's problem in the page's language, whatever language the request went out in", async () => {
    // The request went out in English (a switch to English the server refused), the page is in Khmer again.
    const error = new ApiError({
      type: "about:blank",
      title: translate("en", "errors.rate_limited.title"),
      detail: translate("en", "errors.rate_limited.detail"),
      status: 429,
      code: "rate_limited",
    });
    await renderApp(<ErrorNotice error={error} />, { lang: "km" });
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain(translate("km", "errors.rate_limited.title"));
    expect(alert.textContent).toContain(translate("km", "errors.rate_limited.detail"));
    expect(alert.textContent).not.toContain(translate("en", "errors.rate_limited.title"));
  });

  it("a form's problem is said in the page's language too", async () => {
    const problem = {
      type: "about:blank",
      title: translate("en", "errors.conflict.title"),
      detail: translate("en", "errors.conflict.detail"),
      status: 409,
      code: "conflict" as const,
    };
    await renderApp(<FormProblem problem={problem} />, { lang: "km" });
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain(translate("km", "errors.conflict.title"));
    expect(alert.textContent).not.toContain(translate("en", "errors.conflict.title"));
  });

  it("keeps the words of a problem made for no answer at all (offline)", async () => {
    const error = new ApiError({
      type: "about:blank",
      title: translate("km", "common.offlineTitle"),
      detail: translate("km", "common.offlineDetail"),
      status: 0,
      code: "internal",
    });
    await renderApp(<ErrorNotice error={error} />, { lang: "km" });
    expect((await screen.findByRole("alert")).textContent).toContain(translate("km", "common.offlineTitle"));
  });
});
