// @vitest-environment happy-dom
/**
 * The component tests run the React code on preact/compat, as the build does (vitest.config.ts
 * takes the build's aliases, react-runtime.ts). If an alias stopped reaching the app, Testing
 * Library or a library that renders (TanStack Query, wouter), they would quietly test React instead.
 */
import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { fireEvent, render, screen } from "@testing-library/react";
import { options } from "preact";
import * as compat from "preact/compat";
import * as React from "react";
import * as ReactDOM from "react-dom";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Router, useLocation } from "wouter";
import { memoryLocation } from "wouter/memory-location";

/** The types (components, tags) of the vnodes Preact diffs while `run` runs. */
function diffedBy(run: () => void): unknown[] {
  const types: unknown[] = [];
  const previous = options.diffed;
  options.diffed = (vnode) => {
    types.push(vnode.type);
    previous?.(vnode);
  };
  try {
    run();
  } finally {
    if (previous) options.diffed = previous;
    else delete options.diffed;
  }
  return types;
}

function Probe() {
  const client = useQueryClient();
  const [location] = useLocation();
  const [effects, setEffects] = React.useState("before its effects");
  React.useEffect(() => setEffects("after its effects"), []);
  return <p>{client instanceof QueryClient ? `at ${location}, ${effects}` : "no client"}</p>;
}

/** A password field that a button replaces with a code field, both marked autoFocus (as the sign-in page's second step). */
const attached: (HTMLElement | null)[] = [];
const autoFocus = { autoFocus: true };
function CodeSwitch() {
  const [code, setCode] = React.useState(false);
  const [renders, setRenders] = React.useState(0);
  return (
    <form>
      {code ? (
        <input key="code" aria-label="Code" {...autoFocus} ref={(el) => void attached.push(el)} />
      ) : (
        <input key="password" aria-label="Password" {...autoFocus} />
      )}
      <button type="button" onClick={() => setCode(true)}>
        Use a code
      </button>
      <button type="button" onClick={() => setRenders(renders + 1)}>
        Render {renders}
      </button>
    </form>
  );
}

describe("the component tests' runtime", () => {
  it("is preact/compat for the app's `react` imports", () => {
    expect(React.useState).toBe(compat.useState);
    expect(React.createElement).toBe(compat.createElement);
    expect(ReactDOM.createPortal).toBe(compat.createPortal);
    expect(compat.isValidElement(<Probe />)).toBe(true);
  });

  // Testing Library's render acts with preact/test-utils, which runs the effects before it returns.
  it("is Preact that Testing Library renders and acts with, through TanStack Query's and wouter's components", () => {
    const { hook } = memoryLocation({ path: "/here" });
    const diffed = diffedBy(() =>
      render(
        <QueryClientProvider client={new QueryClient()}>
          <Router hook={hook}>
            <Probe />
          </Router>
        </QueryClientProvider>,
      ),
    );
    expect(screen.getByText("at /here, after its effects")).toBeTruthy();
    for (const component of [QueryClientProvider, Router, Probe]) expect(diffed).toContain(component);
  });

  it("renders to a string with Preact too (react-dom/server)", () => {
    let html = "";
    expect(diffedBy(() => (html = renderToString(<b>bold</b>)))).toContain("b");
    expect(html).toBe("<b>bold</b>");
  });

  // React focuses an autoFocus control when it is added; preact/compat alone only writes the attribute (preact-client.ts).
  it("gives focus to an autoFocus control that replaces another on a page already shown, once, as React does", () => {
    attached.length = 0;
    render(<CodeSwitch />);
    expect(document.activeElement).toBe(screen.getByLabelText("Password"));
    fireEvent.click(screen.getByRole("button", { name: "Use a code" }));
    const code = screen.getByLabelText("Code");
    expect(document.activeElement).toBe(code);
    // The component's own ref still gets the element.
    expect(attached).toContain(code);
    // Not again on a later render: focus stays where the person put it.
    const other = screen.getByRole("button", { name: /^Render/ });
    other.focus();
    fireEvent.click(other);
    expect(screen.getByRole("button", { name: "Render 1" })).toBe(other);
    expect(document.activeElement).toBe(other);
  });
});
