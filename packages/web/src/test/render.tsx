/**
 * Component tests (files named `*.dom.test.tsx`, with `// @vitest-environment happy-dom` on top):
 * render with the app's real providers (language, QueryClient, the password prompt) inside a
 * memory router, and answer the app's `fetch` calls with `mockApi`, the boundary the API client uses.
 */
import type { Language } from "@samakki/shared/i18n/translate";
import { cleanup, fireEvent, getAllByLabelText, getByLabelText, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactElement } from "react";
import { afterEach, vi } from "vitest";
import { Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import { Providers } from "../app/providers.tsx";
import { loadAllCatalogAreas } from "../lib/catalog-areas.ts";
import { loadCatalog } from "../lib/catalogs.ts";

// happy-dom's showModal() only sets `open`. A browser then runs the dialog focusing steps (HTML): focus goes to
// the dialog's control marked `autofocus` (without one, to its first focusable control, which no test here needs).
// The password prompt relies on it: its field is added while the dialog is still closed, when focusing it does
// nothing (preact-client.ts gives an added autoFocus control the focus, as React does), and the dialog's opening
// gives it the focus.
const showModal = HTMLDialogElement.prototype.showModal;
HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
  showModal.call(this);
  this.querySelector<HTMLElement>("[autofocus]")?.focus();
};

afterEach(() => {
  // A prompt left open is cancelled (as Escape does), else the API client would wait on it in the next test.
  for (const dialog of document.querySelectorAll("dialog")) if (dialog.open) fireEvent(dialog, new Event("cancel"));
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

/** One request the app sent: method, path (with its query) and the parsed JSON body. */
export type SentRequest = { method: string; path: string; body: unknown };
type Answer = { status?: number; body?: unknown } | Response;
/** How a route answers: at once, or computed from the request (possibly later, to see the pending state). */
export type Route = Answer | ((request: SentRequest) => Answer | Promise<Answer>);

/** A problem+json answer, as the API sends it. */
export function problem(status: number, code: string, title: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, code, ...extra }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

/**
 * Stub `fetch` with routes keyed `"METHOD /path"` (the query string is part of the path; a key
 * ending in `*` matches any path with that prefix). Every request is recorded in `sent`; one no
 * route answers gets a 599 and lands in `unanswered`, so a test can assert none went astray.
 */
export function mockApi(routes: Record<string, Route>) {
  // A test that answers /api/me has a browser that may be signed in: the server's hint cookie (lib/signed-in-hint.ts).
  if (typeof document !== "undefined")
    // biome-ignore lint/suspicious/noDocumentCookie: the test stands in for the server, which sets this cookie.
    document.cookie = routes["GET /api/me"] ? "samakki_signed_in=1; path=/" : "samakki_signed_in=; max-age=0; path=/";
  const sent: SentRequest[] = [];
  const unanswered: SentRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://samakki.test");
    const method = init?.method ?? "GET";
    const text = typeof init?.body === "string" ? init.body : "";
    const request: SentRequest = { method, path: url.pathname + url.search, body: text ? JSON.parse(text) : undefined };
    sent.push(request);
    const key = `${method} ${request.path}`;
    const route =
      routes[key] ??
      Object.entries(routes).find(([k]) => k.endsWith("*") && key.startsWith(k.slice(0, -1)))?.[1] ??
      (key === "GET /api/me" ? { body: null, status: 401 } : undefined);
    if (route === undefined) {
      unanswered.push(request);
      return new Response("no route in the test", { status: 599 });
    }
    const answer = typeof route === "function" ? await route(request) : route;
    if (answer instanceof Response) return answer;
    const status = answer.status ?? 200;
    if (status === 204 || answer.body === undefined) return new Response(null, { status: status === 200 ? 204 : status });
    return new Response(JSON.stringify(answer.body), { status, headers: { "content-type": "application/json" } });
  });
  vi.stubGlobal("fetch", fetchMock);
  /** The requests sent other than the session look-ups (`GET /api/me`) every page makes. */
  const calls = (method?: string, pathPrefix?: string) =>
    sent.filter(
      (r) =>
        !(r.method === "GET" && r.path === "/api/me") && (!method || r.method === method) && (!pathPrefix || r.path.startsWith(pathPrefix)),
    );
  /** The header `name` of each request sent with `method`, in order (null where it was not sent). */
  const headers = (method: string, name: string) =>
    fetchMock.mock.calls.filter(([, init]) => (init?.method ?? "GET") === method).map(([, init]) => new Headers(init?.headers).get(name));
  return { sent, unanswered, calls, headers, fetch: fetchMock };
}

/**
 * The conflict notice of an edit form (lib/edit-conflict.tsx), titled `title`: the labels of the
 * fields someone else changed and what each shows (the value and whether the form took it).
 */
export function conflictNotice(title: string): { fields: (string | null)[]; values: (string | null)[] } {
  const notice = screen.getByText(title).closest(".notice");
  if (!(notice instanceof HTMLElement)) throw new Error("no conflict notice");
  return {
    fields: Array.from(notice.querySelectorAll("dt"), (dt) => dt.textContent),
    values: Array.from(notice.querySelectorAll("dd"), (dd) => dd.textContent),
  };
}

/**
 * Render `ui` as the app does (Providers: language, QueryClient, the password prompt) at `path`
 * of a memory router, in `lang` (its whole catalog loaded first, as a signed-in page has it).
 */
export async function renderApp(ui: ReactElement, { lang = "en", path = "/" }: { lang?: Language | undefined; path?: string } = {}) {
  await loadCatalog(lang, ["core", "rest"]);
  await loadAllCatalogAreas(lang);
  localStorage.setItem("samakki.language", lang);
  const location = memoryLocation({ path, record: true });
  // No pause between keystrokes: typing waits on nothing but the app.
  const user = userEvent.setup({ delay: null });
  const result = render(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <Providers>{ui}</Providers>
    </Router>,
  );
  return { ...result, user, location };
}

/** `element` as a `type` (`control(screen.getByRole("radio"), HTMLInputElement).checked`); throws when it is another kind. */
export function control<T extends Element>(element: Element | null | undefined, type: abstract new () => T): T {
  if (!(element instanceof type)) throw new Error(`expected a ${type.name}, got ${element?.tagName ?? "nothing"}`);
  return element;
}

/** The control labelled `label`, whatever follows the label's text (" (optional)"). */
export function field(label: string, within: HTMLElement = document.body): HTMLElement {
  const text = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  // A combobox's list is labelled by its field's label too: the control is the one that is no list.
  const controls = getAllByLabelText(within, text).filter((element) => element.getAttribute("role") !== "listbox");
  if (controls.length !== 1) return getByLabelText(within, text);
  return controls[0] as HTMLElement;
}
