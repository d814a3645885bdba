import { translate } from "@samakki/shared/i18n/index";
import { ErrorCode, type Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../test/app.ts";
import { createPerson, signInAs } from "../../../test/factories/index.ts";
import { AppError } from "../errors.ts";
import { onError, problemBody } from "../problem.ts";
import { createRouter } from "../route.ts";

describe("problem details", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("every error code has an HTTP status and a title and detail in both languages", () => {
    for (const code of ErrorCode.options) {
      const error = new AppError(code);
      expect(error.status, code).toBeGreaterThanOrEqual(400);
      for (const lang of ["en", "km"] as const) {
        const body = problemBody(code, error.status, lang, undefined);
        expect(body.title, `${lang} ${code}`).not.toBe(`errors.${code}.title`);
        expect(body.detail, `${lang} ${code}`).not.toBe(`errors.${code}.detail`);
      }
      expect(translate("km", `errors.${code}.title`)).not.toBe(translate("en", `errors.${code}.title`));
    }
  });

  it("answers 503 with Retry-After when the database is unreachable, and 500 for any other unexpected error", async () => {
    const app = createRouter();
    app.onError(onError);
    const failing = (code: string) => Object.assign(new Error(`database said ${code}`), { code });
    for (const code of ["CONNECTION_CLOSED", "ECONNREFUSED", "57P01", "08006", "53300"])
      app.get(`/gone/${code}`, () => {
        throw failing(code);
      });
    app.get("/bug", () => {
      throw failing("XX000");
    });
    // A protocol violation on a working connection is a bug (wrong parameters), not an outage.
    app.get("/protocol", () => {
      throw failing("08P01");
    });
    // Whatever its code, an error PostgreSQL sends as FATAL ended the connection: a database closed
    // to connections (55000), gone (3D000) or refusing the password (28P01). 55000 as an ERROR on a
    // working connection is a bug's.
    for (const code of ["55000", "3D000", "28P01"])
      app.get(`/fatal/${code}`, () => {
        throw Object.assign(failing(code), { severity: "FATAL" });
      });
    app.get("/state", () => {
      throw Object.assign(failing("55000"), { severity: "ERROR" });
    });
    // Stopped by the statement timeout (57014) or the lock timeout (55P03): busy, try again.
    for (const code of ["57014", "55P03"])
      app.get(`/busy/${code}`, () => {
        throw failing(code);
      });
    for (const code of ["CONNECTION_CLOSED", "ECONNREFUSED", "57P01", "08006", "53300"]) {
      const res = await app.request(`/gone/${code}`);
      expect(res.status, code).toBe(503);
      expect(res.headers.get("retry-after"), code).toBe("5");
      expect(((await res.json()) as Problem).code, code).toBe("service_unavailable");
    }
    for (const code of ["55000", "3D000", "28P01"]) {
      const res = await app.request(`/fatal/${code}`);
      expect(res.status, code).toBe(503);
      expect(((await res.json()) as Problem).code, code).toBe("service_unavailable");
    }
    expect((await app.request("/state")).status).toBe(500);
    for (const code of ["57014", "55P03"]) {
      const res = await app.request(`/busy/${code}`);
      expect(res.status, code).toBe(503);
      expect(res.headers.get("retry-after"), code).toBe("5");
      expect(((await res.json()) as Problem).code, code).toBe("database_busy");
    }
    expect((await app.request("/protocol")).status).toBe(500);
    const bug = await app.request("/bug");
    expect(bug.status).toBe(500);
    expect(bug.headers.get("retry-after")).toBeNull();
    expect(((await bug.json()) as Problem).code).toBe("internal");
  });

  it("has the RFC 9457 shape with a request id matching the X-Request-Id header", async () => {
    const res = await ctx.anonymous().get<Problem>("/api/me");
    expect(res.body).toEqual({
      type: "/api/docs#error-unauthenticated",
      title: translate("en", "errors.unauthenticated.title"),
      status: 401,
      detail: translate("en", "errors.unauthenticated.detail"),
      code: "unauthenticated",
      requestId: res.headers.get("x-request-id"),
    });
    // A well-formed incoming request id is kept; a malformed one is replaced.
    expect((await ctx.anonymous().get<Problem>("/api/me", { "x-request-id": "abcdefgh-1234" })).body.requestId).toBe("abcdefgh-1234");
    const forged = await ctx.anonymous().get<Problem>("/api/me", { "x-request-id": "bad id <script>" });
    // Replaced by a fresh random id (which may itself contain the letters "bad": compare the shape, not a substring).
    expect(forged.body.requestId).toMatch(/^[\w-]{22}$/);
  });

  it("is in Khmer for a request with Accept-Language: km", async () => {
    const client = ctx.anonymous();
    const res = await client.get<Problem>("/api/me", { "accept-language": "km-KH,km;q=0.9,en;q=0.5" });
    expect(res.body.title).toBe(translate("km", "errors.unauthenticated.title"));
    expect(res.body.detail).toBe(translate("km", "errors.unauthenticated.detail"));
    const invalid = await client.post<Problem>("/api/auth/sign-in", { email: "nope", password: "x" }, { "accept-language": "km" });
    expect(invalid.body.title).toBe(translate("km", "errors.validation_failed.title"));
    expect(invalid.body.errors).toEqual([{ path: "email", message: translate("km", "validation.invalid_email") }]);
    // Unsupported languages fall back to English.
    expect((await client.get<Problem>("/api/me", { "accept-language": "fr-FR" })).body.title).toBe(
      translate("en", "errors.unauthenticated.title"),
    );
  });

  it("is in Khmer for a signed-in person whose language is km, whatever the browser says", async () => {
    const person = await createPerson(ctx, { language: "km" });
    const client = await signInAs(ctx, person);
    const res = await client.patch<Problem>("/api/me", {}, { "accept-language": "en" });
    expect(res.body.title).toBe(translate("km", "errors.validation_failed.title"));
    expect(res.body.errors).toEqual([{ path: "", message: translate("km", "validation.nothing_to_change") }]);
    const weak = await client.post<Problem>("/api/me/password", { currentPassword: person.password, newPassword: "password1234" });
    expect(weak.body).toMatchObject({ code: "password_too_weak", title: translate("km", "errors.password_too_weak.title") });
    expect(weak.body.errors).toEqual([{ path: "newPassword", message: translate("km", "errors.password_too_weak.detail") }]);
    const missing = await client.delete<Problem>("/api/me/sessions/00000000-0000-4000-8000-000000000000");
    expect(missing.body.title).toBe(translate("km", "errors.not_found.title"));
    // An English speaker gets English.
    const english = await signInAs(ctx, await createPerson(ctx, { language: "en" }));
    expect((await english.patch<Problem>("/api/me", {}, { "accept-language": "km" })).body.title).toBe(
      translate("en", "errors.validation_failed.title"),
    );
  });
});
