// @vitest-environment happy-dom
import { screen, waitFor } from "@testing-library/react";
import { useLayoutEffect, useRef } from "react";
import { describe, expect, it } from "vitest";
import { Link, Route, Switch } from "wouter";
import { renderApp } from "../../test/render.tsx";
import { PageHeader } from "../Page.tsx";

/**
 * Each page drawn in a frame of its own, as app/router.tsx draws each section in its own shell: the
 * header's tab that was followed goes away with the old page, and the focus with it.
 */
function Frame({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <>
      <nav>
        <Link href="/campaigns">Campaigns</Link> <Link href="/tasks">Tasks</Link>
      </nav>
      <PageHeader title={title} />
      {children}
    </>
  );
}

/** A page that puts the focus in its first field itself, before its heading could. */
function FieldFirst() {
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => input.current?.focus(), []);
  return (
    <Frame title="New task">
      <input ref={input} aria-label="Title" />
    </Frame>
  );
}

/** Keyed as app/router.tsx keys its routes: another page is another tree. */
function Pages() {
  return (
    <Switch>
      <Route key="campaigns" path="/campaigns">
        <Frame title="Campaigns" />
      </Route>
      <Route key="tasks" path="/tasks">
        <Frame title="Tasks" />
      </Route>
      <Route key="new-task" path="/tasks/new">
        <FieldFirst />
      </Route>
      <Route key="dashboard" path="/">
        <Frame title="Dashboard">
          <Link href="/tasks/new">New task</Link>
        </Frame>
      </Route>
    </Switch>
  );
}

/** Both pages share this frame: its tabs stay on the page across a navigation. */
function SharedFrame() {
  return (
    <>
      <nav>
        <Link href="/campaigns">Campaigns</Link>
      </nav>
      <Switch>
        <Route key="campaigns" path="/campaigns">
          <PageHeader title="Campaigns" />
        </Route>
        <Route key="dashboard" path="/">
          <PageHeader title="Dashboard" />
        </Route>
      </Switch>
    </>
  );
}

describe("the page's heading after a navigation", () => {
  it("is left alone on the first page the app shows", async () => {
    await renderApp(<Pages />);
    const heading = await screen.findByRole("heading", { level: 1, name: "Dashboard" });
    expect(heading.getAttribute("tabindex")).toBe("-1");
    expect(document.activeElement).toBe(document.body);
  });

  it("takes the focus when the link that had it went away with the old page", async () => {
    const { user } = await renderApp(<Pages />);
    await screen.findByRole("heading", { level: 1, name: "Dashboard" });
    await user.click(screen.getByRole("link", { name: "Campaigns" }));
    const heading = await screen.findByRole("heading", { level: 1, name: "Campaigns" });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    // And from another section again (each page is a new frame).
    await user.click(screen.getByRole("link", { name: "Tasks" }));
    const tasks = await screen.findByRole("heading", { level: 1, name: "Tasks" });
    await waitFor(() => expect(document.activeElement).toBe(tasks));
  });

  it("leaves the focus on a control that stayed on the page", async () => {
    const { user } = await renderApp(<SharedFrame />);
    await screen.findByRole("heading", { level: 1, name: "Dashboard" });
    const tab = screen.getByRole("link", { name: "Campaigns" });
    await user.click(tab);
    await screen.findByRole("heading", { level: 1, name: "Campaigns" });
    // The heading's effect has run once the document's title is the new page's.
    await waitFor(() => expect(document.title).toMatch(/^Campaigns/));
    expect(document.activeElement).toBe(tab);
  });

  it("leaves the focus where the new page put it (its first field)", async () => {
    const { user } = await renderApp(<Pages />);
    await screen.findByRole("heading", { level: 1, name: "Dashboard" });
    await user.click(screen.getByRole("link", { name: "New task" }));
    await screen.findByRole("heading", { level: 1, name: "New task" });
    await waitFor(() => expect(document.title).toMatch(/^New task/));
    expect(document.activeElement).toBe(screen.getByRole("textbox", { name: "Title" }));
  });
});
