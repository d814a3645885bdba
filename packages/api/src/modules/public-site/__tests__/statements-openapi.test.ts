import type { Statement } from "@samakki/shared/statements";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { cast, draftAndOpen, type World } from "../../statements/__tests__/helpers.ts";

type Operation = { "x-policy"?: string; security?: unknown[]; responses?: Record<string, { content?: Record<string, unknown> }> };
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

/** The world is seeded through the API (dozens of requests): more than the default hook time on a loaded machine. */
const SETUP_TIMEOUT = 180_000;

describe("published statements on the public home, and the public routes in the OpenAPI document", () => {
  let ctx: TestContext;
  let w: World;
  let statementId: string;
  const title = unique("Joint statement on land");
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    const opened = await draftAndOpen(w, { text: { title, bodyEn: "We call for consultation.", bodyKm: "យើងអំពាវនាវឱ្យមានការពិគ្រោះយោបល់។" } });
    statementId = opened.statementId;
    for (const [client, organisationId] of [
      [w.clients.adminA, w.orgA.id],
      [w.clients.adminB, w.orgB.id],
      [w.clients.coordinator, w.secretariat.id],
    ] as const)
      expect((await cast(client, opened.url, { organisationId, choice: "endorse", named: true })).status).toBe(201);
    expect((await w.clients.coordinator.post<Statement>(`${opened.url}/vote/close`)).body.status).toBe("adopted");
    expect((await w.clients.coordinator.post(`${opened.url}/publish`)).status).toBe(204);
  }, SETUP_TIMEOUT);

  it("lists the published statement on the coalition's home, and the statement page links back to the home", async () => {
    const home = await (await ctx.app.request(`/coalitions/${w.coalition.slug}?lang=en`)).text();
    expect(home).toContain(`<a href="/statements/${statementId}">${title}</a>`);
    expect(home).toContain(`href="/coalitions/${w.coalition.slug}/statements.atom"`);
    const other = await (await ctx.app.request(`/coalitions/${w.other.slug}?lang=en`)).text();
    expect(other).not.toContain(title);
    const page = await (await ctx.app.request(`/statements/${statementId}?lang=en`)).text();
    expect(page).toContain(`<a href="/coalitions/${w.coalition.slug}">All public campaigns and statements of ${w.coalition.name}</a>`);
    // The statement page, its texts and the feed revalidate by ETag like the other public pages.
    for (const path of [
      `/statements/${statementId}?lang=en`,
      `/statements/${statementId}/text`,
      `/coalitions/${w.coalition.slug}/statements.atom`,
    ]) {
      const res = await ctx.app.request(path);
      expect(res.headers.get("cache-control"), path).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
      expect((await ctx.app.request(path, { headers: { "if-none-match": res.headers.get("etag") ?? "" } })).status, path).toBe(304);
    }
  });

  it("documents the public pages, feeds, calendar, image, assets and robots.txt as public operations with their media types", async () => {
    const doc = (await ctx.anonymous().get<OpenApiDocument>("/api/openapi.json")).body;
    const expected: Array<[string, string]> = [
      ["/coalitions/{coalitionSlug}", "text/html"],
      ["/coalitions/{coalitionSlug}/campaigns/{campaignSlug}", "text/html"],
      ["/coalitions/{coalitionSlug}/campaigns/{campaignSlug}/updates.atom", "application/atom+xml"],
      ["/coalitions/{coalitionSlug}/campaigns/{campaignSlug}/calendar.ics", "text/calendar"],
      ["/coalitions/{coalitionSlug}/campaigns/{campaignSlug}/share.png", "image/png"],
      ["/statements/{statementId}", "text/html"],
      ["/statements/{statementId}/text", "text/plain"],
      ["/statements/{statementId}/publication", "text/plain"],
      ["/coalitions/{slug}/statements.atom", "application/atom+xml"],
      ["/public/site.css", "text/css"],
      ["/public/statement.css", "text/css"],
      ["/public/fonts/{file}", "font/woff2"],
      ["/robots.txt", "text/plain"],
    ];
    const problems: string[] = [];
    for (const [path, type] of expected) {
      const op = doc.paths[path]?.get;
      if (!op) {
        problems.push(`${path}: not documented`);
        continue;
      }
      if (op["x-policy"] !== "public") problems.push(`${path}: policy ${op["x-policy"]}`);
      if (op.security?.length) problems.push(`${path}: has a security requirement`);
      if (!op.responses?.["200"]?.content?.[type]) problems.push(`${path}: 200 is not ${type}`);
    }
    expect(problems).toEqual([]);
  });
});
