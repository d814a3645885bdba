import { translate } from "@samakki/shared/i18n/index";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  ApiError,
  api,
  readProblem,
  setReauthHandler,
  setRequestLanguage,
  setUnauthenticatedHandler,
  withIdempotencyKey,
} from "./api-client.ts";
import { loadCatalog } from "./catalogs.ts";

beforeAll(() => loadCatalog("km"));

const problemJson = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/problem+json" } });

const validation = {
  type: "/api/docs#error-validation_failed",
  title: "Some fields need attention",
  status: 400,
  detail: "Check the highlighted fields and try again.",
  code: "validation_failed",
  requestId: "abc",
  errors: [
    { path: "email", message: "Enter a valid email address." },
    { path: "password", message: "Must be at least 12 characters." },
    { path: "email", message: "second message for the same field" },
  ],
};

describe("readProblem", () => {
  it("parses problem+json with the shared schema", async () => {
    const problem = await readProblem(problemJson(validation, 400), "en");
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors).toHaveLength(3);
    expect(problem.requestId).toBe("abc");
  });

  it("turns a non-JSON failure into a translated generic problem", async () => {
    const res = new Response("<html>Bad gateway</html>", { status: 502, headers: { "content-type": "text/html" } });
    const problem = await readProblem(res, "km");
    expect(problem).toMatchObject({ status: 502, code: "internal", title: translate("km", "errors.internal.title") });
    expect(problem.title).toMatch(/[\u1780-\u17FF]/);
  });

  it("rejects JSON that is not a problem (unknown code) and falls back by status", async () => {
    const problem = await readProblem(problemJson({ title: "x", status: 404, code: "nope", type: "t" }, 404), "en");
    expect(problem.code).toBe("not_found");
    expect(problem.title).toBe("Not found");
  });
});

describe("ApiError", () => {
  it("keys field errors by input name, first message wins", () => {
    const error = new ApiError({ ...validation, code: "validation_failed" });
    expect(error.fieldErrors).toEqual({ email: "Enter a valid email address.", password: "Must be at least 12 characters." });
    expect(error.status).toBe(400);
  });
});

describe("api requests", () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    setRequestLanguage("en");
  });
  afterEach(() => {
    fetchMock.mockReset();
    vi.unstubAllGlobals();
    setReauthHandler(null);
    setUnauthenticatedHandler(null);
  });

  it("sends the UI language on every request and a JSON body on mutations", async () => {
    setRequestLanguage("km");
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await api.post("/api/auth/sign-out");
    const [path, init] = fetchMock.mock.calls[0] ?? [];
    expect(path).toBe("/api/auth/sign-out");
    const headers = new Headers(init?.headers);
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("x-samakki-language")).toBe("km");
    expect(init?.body).toBe("{}");
    expect(init?.credentials).toBe("same-origin");
  });

  it("gives a form's Idempotency-Key to the first POST it starts, and a new key when the API says it went with another request", async () => {
    const reused = { type: "about:blank", title: "Reused", status: 422, code: "idempotency_key_reused" };
    fetchMock.mockResolvedValueOnce(problemJson(reused, 422)).mockResolvedValue(new Response(null, { status: 204 }));
    await withIdempotencyKey("form-key-1", () => api.post("/api/things"));
    await api.post("/api/other");
    const keys = fetchMock.mock.calls.map(([path, init]) => [path, new Headers(init?.headers).get("idempotency-key")]);
    expect(keys[0]).toEqual(["/api/things", "form-key-1"]);
    // Sent again once, with a fresh key; a POST started outside the form's action has none.
    expect(keys[1]?.[0]).toBe("/api/things");
    expect(keys[1]?.[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[2]).toEqual(["/api/other", null]);
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });

  it("validates answers with the given schema", async () => {
    fetchMock.mockResolvedValue(
      new Response(JSON.stringify({ needed: "yes" }), { status: 200, headers: { "content-type": "application/json" } }),
    );
    await expect(api.get("/api/setup", z.object({ needed: z.boolean() }))).rejects.toThrow();
  });

  it("throws an ApiError carrying the server's translated problem", async () => {
    fetchMock.mockResolvedValue(problemJson(validation, 400));
    const error = await api.post("/api/setup", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).fieldErrors.password).toBe("Must be at least 12 characters.");
  });

  it("asks for the password on reauthentication_required and retries the request once", async () => {
    const reauth = { ...validation, code: "reauthentication_required", status: 403, errors: undefined };
    fetchMock.mockResolvedValueOnce(problemJson(reauth, 403)).mockResolvedValueOnce(new Response(null, { status: 204 }));
    const handler = vi.fn(async () => true);
    setReauthHandler(handler);
    await api.patch("/api/organisations/o/people/p", { role: "admin" });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(fetchMock.mock.calls[1]?.[1]?.body).toBe(JSON.stringify({ role: "admin" }));
  });

  it("gives up with the original problem when the prompt is cancelled", async () => {
    const reauth = { ...validation, code: "reauthentication_required", status: 403, errors: undefined };
    fetchMock.mockResolvedValue(problemJson(reauth, 403));
    setReauthHandler(async () => false);
    const error = await api.post("/api/me/password", {}).catch((e: unknown) => e);
    expect((error as ApiError).code).toBe("reauthentication_required");
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("reports a lost session to the one unauthenticated handler", async () => {
    fetchMock.mockResolvedValue(problemJson({ type: "t", title: "Please sign in", status: 401, code: "unauthenticated" }, 401));
    const onUnauthenticated = vi.fn();
    setUnauthenticatedHandler(onUnauthenticated);
    await expect(api.get("/api/me/sessions", z.array(z.unknown()))).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthenticated).toHaveBeenCalledWith("/api/me/sessions");
  });

  it("describes a network failure in the UI language", async () => {
    setRequestLanguage("km");
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    const error = await api.get("/api/me", z.unknown()).catch((e: unknown) => e);
    expect((error as ApiError).problem.title).toBe("គ្មានការតភ្ជាប់៖ មិនបានផ្ញើអ្វីទេ");
  });

  it("says that an action attempted offline was not sent, and is not sent later", async () => {
    setRequestLanguage("en");
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    const error = await api.post("/api/coalitions/c1/tasks", { title: "x" }).catch((e: unknown) => e);
    expect((error as ApiError).problem.title).toBe("No connection: nothing was sent");
    expect((error as ApiError).problem.detail).toContain("nothing will be sent later on its own");
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
