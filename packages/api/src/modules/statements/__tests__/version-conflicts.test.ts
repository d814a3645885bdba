import { Problem } from "@samakki/shared/problem";
import { Statement } from "@samakki/shared/statements";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { draft, type World } from "./helpers.ts";

/**
 * Two people editing one statement's text (lib/if-match.ts): a version saved with `If-Match` of the
 * version it was edited from is refused when another has been saved since, so that nobody's text
 * silently stops being the current one.
 */
describe("statement versions with If-Match", () => {
  let ctx: TestContext;
  let w: World;
  const text = (title: string) => ({ title, bodyEn: `${title}: we stand together.`, bodyKm: "យើងរួមគ្នា។" });
  const versionCount = async (id: string) =>
    (await ctx.db.selectFrom("statement_version").where("statement_id", "=", id).select("id").execute()).length;

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  it("answers the current version's number as the ETag; a version saved on it applies", async () => {
    const { url } = await draft(w, w.clients.coordinator);
    const read = await w.clients.memberA.get(url);
    expect(read.headers.get("etag")).toBe('"1"');
    const saved = await w.clients.coordinator.post(`${url}/versions`, text("Second"), { "if-match": '"1"' });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.json(Statement).current.number).toBe(2);
    expect(saved.headers.get("etag")).toBe('"2"');
  });

  it("refuses a version edited from an older one with 412 edit_conflict, and saves nothing", async () => {
    const { url, statement } = await draft(w, w.clients.adminA);
    expect((await w.clients.coordinator.post(`${url}/versions`, text("The coordinator's"), { "if-match": '"1"' })).status).toBe(201);
    const stale = await w.clients.adminA.post(`${url}/versions`, text("The author's"), { "if-match": '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.json(Problem).code).toBe("edit_conflict");
    expect(await versionCount(statement.id)).toBe(2);
    const current = (await w.clients.adminA.get(url)).json(Statement).current;
    expect(current.title).toBe("The coordinator's");
  });

  it("of versions saved at once from the same one, exactly one is saved", async () => {
    const { url, statement } = await draft(w, w.clients.coordinator);
    const titles = Array.from({ length: 5 }, (_, i) => `Parallel ${i}`);
    const answers = await Promise.all(
      titles.map((title) => w.clients.coordinator.post(`${url}/versions`, text(title), { "if-match": '"1"' })),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    expect(answers.filter((res) => res.status === 412)).toHaveLength(titles.length - 1);
    expect(await versionCount(statement.id)).toBe(2);
  });

  it("answers who may not edit before comparing versions: 403 for another member, 404 for another coalition", async () => {
    const { url, statement } = await draft(w, w.clients.coordinator);
    await w.clients.coordinator.post(`${url}/versions`, text("Moved on"));
    expect((await w.clients.memberA.post(`${url}/versions`, text("Not mine"), { "if-match": '"1"' })).status).toBe(403);
    expect((await w.clients.outsider.post(`${url}/versions`, text("Not ours"), { "if-match": '"1"' })).status).toBe(404);
    const ownPath = `/api/coalitions/${w.other.id}/statements/${statement.id}/versions`;
    expect((await w.clients.outsider.post(ownPath, text("Not ours"), { "if-match": "*" })).status).toBe(404);
    expect(await versionCount(statement.id)).toBe(2);
  });
});
