// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { useQuery } from "@tanstack/react-query";
import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { api } from "../../lib/api-client.ts";
import { mockApi, problem, renderApp } from "../../test/render.tsx";
import { QueryView } from "../QueryView.tsx";

const en = (key: string) => translate("en", key);
const path = "/api/things";

/** A list as pages have one: a query, its states through QueryView. */
function Things({ retry, special }: { retry?: boolean; special?: boolean }) {
  const query = useQuery({ queryKey: ["things"], queryFn: () => api.get(path, z.array(z.string())), retry: false });
  return (
    <QueryView
      query={query}
      empty="Nothing yet"
      retry={retry}
      renderError={special ? (error) => (error instanceof Error && error.message === "Gone away" ? <p>Hidden</p> : undefined) : undefined}
    >
      {(things) => (
        <ul aria-label="Things">
          {things.map((thing) => (
            <li key={thing}>{thing}</li>
          ))}
        </ul>
      )}
    </QueryView>
  );
}

describe("QueryView", () => {
  it("says it is loading until the answer comes, then shows the data", async () => {
    let answer: (value: { body: unknown }) => void = () => undefined;
    mockApi({ [`GET ${path}`]: () => new Promise((resolve) => (answer = resolve)) });
    await renderApp(<Things />);
    expect(screen.getByRole("status").textContent).toBe(en("common.loading"));
    answer({ body: ["a leaflet", "a march"] });
    const list = await screen.findByRole("list", { name: "Things" });
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["a leaflet", "a march"]);
    expect(screen.queryByRole("status")).toBeNull();
    expect(screen.queryByText("Nothing yet")).toBeNull();
  });

  it("shows the empty text, as a muted paragraph, for an empty list", async () => {
    mockApi({ [`GET ${path}`]: { body: [] } });
    await renderApp(<Things />);
    const empty = await screen.findByText("Nothing yet");
    expect(empty.tagName).toBe("P");
    expect(empty.className).toBe("muted");
    expect(screen.queryByRole("list")).toBeNull();
  });

  it("shows the API's problem with a retry button that asks again", async () => {
    let calls = 0;
    mockApi({ [`GET ${path}`]: () => (calls++ === 0 ? problem(500, "internal", "Something broke") : { body: ["a petition"] }) });
    const { user } = await renderApp(<Things />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain(translate("en", "errors.internal.title"));
    await user.click(within(alert).getByRole("button", { name: en("common.retry") }));
    expect((await screen.findByRole("list", { name: "Things" })).textContent).toBe("a petition");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(calls).toBe(2);
  });

  it("offers no retry when told not to", async () => {
    mockApi({ [`GET ${path}`]: problem(500, "internal", "Something broke") });
    await renderApp(<Things retry={false} />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain(translate("en", "errors.internal.title"));
    expect(within(alert).queryByRole("button")).toBeNull();
  });

  it("shows what renderError gives for the errors it knows, the notice for the others", async () => {
    mockApi({ [`GET ${path}`]: problem(404, "not_found", "Not here", { detail: "Gone away" }) });
    await renderApp(<Things special />);
    expect(await screen.findByText("Hidden")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
