import { translate } from "@samakki/shared/i18n/index";
import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext, type TestResponse } from "../../../test/app.ts";
import { createWorld } from "../../../test/factories/index.ts";
import { snapshotCounts } from "../../../test/permissions.ts";
import { fakeWebDist } from "../../../test/web-dist.ts";

/*
 * Issue 7, item 11: no input causes a 5xx. PostgreSQL refuses "\u0000" in text, and a lone
 * surrogate cannot be encoded (nor passed to encodeURIComponent), so both are refused at the
 * edge with a field error; a malformed percent-encoding in a path is a path that does not exist.
 */

const NUL = "a\u0000b";
const SURROGATE = "a\ud800b";
const LOW_SURROGATE = "\udfffb";

function expectFieldError(res: TestResponse, path: string, lang: "en" | "km" = "en") {
  expect(res.status, res.text).toBe(400);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = res.json(Problem);
  expect(body.code).toBe("validation_failed");
  expect(body.errors).toContainEqual({ path, message: translate(lang, "validation.invalid_characters") });
}

describe("NUL bytes and unpaired surrogates", () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeAll(async () => {
    ctx = await buildTestApp();
    world = await createWorld(ctx);
  });

  it("in a JSON body answer 400 with a field error at the string's path, and change nothing", async () => {
    const { coordinator, anonymous } = world.clients;
    const base = `/api/coalitions/${world.coalition.id}`;
    const before = await snapshotCounts(ctx);
    for (const bad of [NUL, SURROGATE, LOW_SURROGATE]) {
      expectFieldError(await coordinator.patch("/api/me", { displayName: bad }), "displayName");
      expectFieldError(await coordinator.patch(base, { name: bad }), "name");
      expectFieldError(await coordinator.post(`${base}/tasks`, { title: bad, description: "" }), "title");
      expectFieldError(await coordinator.post(`${base}/campaigns`, { name: "x", kind: "other", description: [bad] }), "description.0");
      expectFieldError(await coordinator.post(`${base}/statements`, { title: { nested: { deep: bad } } }), "title.nested.deep");
      expectFieldError(await anonymous.post("/api/auth/sign-in", { email: `p${bad}@example.org`, password: "x" }), "email");
      expectFieldError(await anonymous.post("/api/auth/password-reset", { email: `p${bad}@example.org` }), "email");
    }
    // A bad key names its parent (the key itself is not echoed back).
    expectFieldError(await coordinator.patch("/api/me", { nested: { [`k${NUL}`]: 1 } }), "nested");
    expectFieldError(await coordinator.patch("/api/me", { [`k${SURROGATE}`]: 1 }), "");
    expect(await snapshotCounts(ctx)).toEqual(before);
  });

  it("names and titles with controls or bidirectional overrides answer 400 at their field (in the reader's language) and change nothing; Khmer passes", async () => {
    const { coordinator, adminA } = world.clients;
    const base = `/api/coalitions/${world.coalition.id}`;
    const before = await snapshotCounts(ctx);
    for (const bad of ["Evil\u202Egnp.exe", "Bell\u0007", "Esc\u001b[2J"]) {
      expectFieldError(await coordinator.patch("/api/me", { displayName: bad }), "displayName");
      expectFieldError(await coordinator.patch(base, { name: bad }), "name");
      expectFieldError(await coordinator.post(`${base}/tasks`, { title: bad }), "title");
      expectFieldError(await coordinator.post(`${base}/statements`, { title: bad, bodyEn: "Text", bodyKm: "" }), "title");
      expectFieldError(await adminA.patch(`/api/organisations/${world.orgA.id}`, { shortName: bad }), "shortName");
      expectFieldError(await coordinator.post(`${base}/tasks`, { title: bad }, { "x-samakki-language": "km" }), "title", "km");
    }
    // A name of zero-width characters only is no name.
    const invisible = await coordinator.post(`${base}/tasks`, { title: "\u200b\u200b\u200b" });
    expect(invisible.status).toBe(400);
    expect(invisible.json(Problem).errors).toContainEqual({ path: "title", message: translate("en", "validation.required") });
    expect(await snapshotCounts(ctx)).toEqual(before);
    // Khmer, with the zero-width spaces that mark its word breaks, is a title like any other.
    const khmer = await coordinator.post<{ title: string }>(`${base}/tasks`, { title: "បោះពុម្ព\u200bខិត្តប័ណ្ណ" });
    expect(khmer.status, khmer.text).toBe(201);
    expect(khmer.body.title).toBe("បោះពុម្ព\u200bខិត្តប័ណ្ណ");
  });

  it("in the query string answer 400 with a field error", async () => {
    const { coordinator, anonymous } = world.clients;
    const base = `/api/coalitions/${world.coalition.id}`;
    expectFieldError(await coordinator.get(`${base}/tasks?cursor=%00`), "query.cursor");
    expectFieldError(await coordinator.get(`${base}/audit?cursor=a%00b`), "query.cursor");
    expectFieldError(await coordinator.get(`${base}/campaigns?limit=1&cursor=%ED%A0%80`), "query.cursor");
    expectFieldError(await anonymous.get("/api/dev/mailbox?to=%00"), "query.to");
    expectFieldError(await anonymous.get("/dev/mailbox?to=x%00"), "query.to");
    expectFieldError(await anonymous.get(`/statements/${crypto.randomUUID()}?lang=%00`), "query.lang");
    expectFieldError(await anonymous.get("/api/setup?%00=1"), "query");
    expectFieldError(await anonymous.get("/api/setup?x=%"), "query.x");
  });

  it("in the path answer 400 with a field error, on the API and on the public pages and feeds", async () => {
    const { coordinator, anonymous } = world.clients;
    expectFieldError(await anonymous.get("/coalitions/%00/statements.atom"), "path");
    expectFieldError(await anonymous.get("/statements/%00"), "path");
    expectFieldError(await anonymous.get("/statements/a%00b/text"), "path");
    expectFieldError(await anonymous.get("/api/invitations/%00"), "path");
    expectFieldError(await coordinator.get("/api/coalitions/%00"), "path");
    expectFieldError(await coordinator.get(`/api/coalitions/${world.coalition.id}/campaigns/%00/activities.ics`), "path");
    expectFieldError(await anonymous.get("/dev/mailbox/%00"), "path");
    expectFieldError(await anonymous.get("/%00"), "path");
  });

  it("name each bad field once, and at most 20 of them, however many a request holds", async () => {
    const { coordinator } = world.clients;
    const base = `/api/coalitions/${world.coalition.id}`;
    // The same parameter twice is one field error.
    const repeated = (await coordinator.get(`${base}/tasks?cursor=%00&cursor=a%00`)).json(Problem);
    expect(repeated.errors).toEqual([{ path: "query.cursor", message: translate("en", "validation.invalid_characters") }]);
    // A body of 1,000 bad strings: the first 20 found are named, not a thousand (the answer stays small).
    const many = Array.from({ length: 1000 }, () => NUL);
    const res = await coordinator.post(`${base}/tasks`, { title: "x", description: "", labels: many });
    expectFieldError(res, "labels.0");
    expect(res.json(Problem).errors).toHaveLength(20);
    const query = Array.from({ length: 30 }, (_, i) => `p${i}=%00`).join("&");
    expect((await coordinator.get(`${base}/tasks?${query}`)).json(Problem).errors).toHaveLength(20);
  });

  it("answer field errors in the reader's language", async () => {
    const { anonymous } = world.clients;
    expectFieldError(await anonymous.get("/coalitions/%00/statements.atom", { "accept-language": "km" }), "path", "km");
    expectFieldError(await anonymous.post("/api/auth/sign-in", { email: NUL, password: "x" }, { "accept-language": "km" }), "email", "km");
  });

  it("are not looked for in a body sent outside /api, which no route reads and no body limit covers", async () => {
    const body = JSON.stringify({ text: `${"x".repeat(300_000)}\u0000` });
    const res = await world.clients.coordinator.request("POST", "/statements/anything", body);
    expect(res.status).toBe(404);
  });

  it("still let a cross-site mutation fail the CSRF check first", async () => {
    const res = await world.clients.coordinator.patch("/api/me", { displayName: NUL }, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
  });

  it("do not refuse well-formed text: pairs of surrogates (emoji) and Khmer", async () => {
    const res = await world.clients.coordinator.patch("/api/me", { displayName: "ដារា 👋🏽" });
    expect(res.status, res.text).toBe(200);
  });
});

describe("malformed percent-encoding in a path", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp({ webDist: fakeWebDist() });
  });

  it("answers 404, like any path that does not exist", async () => {
    for (const path of [
      "/%ff",
      "/%",
      "/a%zz",
      "/statements/%ED%A0%80",
      "/api/%ff",
      "/coalitions/%c3/statements.atom",
      "/dev/mailbox/%ff",
    ]) {
      const res = await ctx.anonymous().get(path);
      expect(res.status, path).toBe(404);
      expect(res.json(Problem).code, path).toBe("not_found");
    }
    // The web app itself is still served.
    expect((await ctx.anonymous().get("/some/page")).status).toBe(200);
    expect((await ctx.anonymous().get("/assets/app.js")).status).toBe(200);
  });
});
