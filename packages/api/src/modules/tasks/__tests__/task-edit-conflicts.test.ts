import { Problem } from "@samakki/shared/problem";
import { Task } from "@samakki/shared/tasks";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { type BigWorld, extendWorld, makeCampaign, makeTask } from "../../campaigns/__tests__/helpers.ts";

/**
 * Two people editing one task (lib/if-match.ts): an edit sent with the revision it was based on is
 * refused when someone else's came first, and changes nothing; the revision is the answer's ETag.
 */
describe("task edits with If-Match", () => {
  let ctx: TestContext;
  let w: BigWorld;
  const row = (id: string) => ctx.db.selectFrom("task").where("id", "=", id).selectAll().executeTakeFirstOrThrow();
  const events = async (id: string) => (await ctx.db.selectFrom("task_event").where("task_id", "=", id).select("id").execute()).length;
  const url = (id: string) => `${w.base}/tasks/${id}`;

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
  });

  it("answers the revision in the body and as the ETag of every answer with the task", async () => {
    const task = await makeTask(w);
    expect(task.revision).toBe(1);
    const read = await w.clients.coordinator.get(url(task.id));
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe('"1"');
    const edited = await w.clients.coordinator.patch(url(task.id), { title: "Renamed once" }, { "if-match": '"1"' });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json(Task).revision).toBe(2);
    expect(edited.headers.get("etag")).toBe('"2"');
  });

  it("takes back the ETag of a compressed answer: a client that asks for brotli or gzip edits with what it was given", async () => {
    // Over 1 KB, so that the answer is compressed.
    const task = await makeTask(w, { description: "Long enough to be compressed. ".repeat(60) });
    for (const encoding of ["br", "gzip"]) {
      const read = await w.clients.coordinator.get(url(task.id), { "accept-encoding": encoding });
      expect(read.headers.get("content-encoding")).toBe(encoding);
      const tag = read.headers.get("etag") ?? "";
      expect(tag).not.toMatch(/^W\//);
      const edited = await w.clients.coordinator.patch(url(task.id), { title: `Renamed with ${encoding}` }, { "if-match": tag });
      expect(edited.status, `${encoding}: ${tag}`).toBe(200);
    }
  });

  it("refuses an edit based on an old revision with 412 edit_conflict, and changes nothing", async () => {
    const task = await makeTask(w, { description: "First words" });
    const first = await w.clients.coordinator.patch(url(task.id), { description: "Someone else's words" }, { "if-match": '"1"' });
    expect(first.status).toBe(200);
    const before = await row(task.id);
    const eventsBefore = await events(task.id);

    const stale = await w.clients.coordinator.patch(
      url(task.id),
      { title: "My stale title", description: "My words" },
      { "if-match": '"1"', "x-samakki-language": "km" },
    );
    expect(stale.status).toBe(412);
    expect(stale.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = stale.json(Problem);
    expect(problem.code).toBe("edit_conflict");
    expect(problem.title).toBe("មាននរណាម្នាក់បានកែប្រែមុនអ្នក");
    expect(await row(task.id)).toEqual(before);
    expect(await events(task.id)).toBe(eventsBefore);

    // Read again, edit on the new revision: applied.
    const again = await w.clients.coordinator.patch(url(task.id), { title: "My title now" }, { "if-match": '"2"' });
    expect(again.status).toBe(200);
    expect((await row(task.id)).title).toBe("My title now");
  });

  it("takes *, a list holding the revision, or no header; refuses a weak or malformed tag", async () => {
    const task = await makeTask(w);
    const edit = (title: string, ifMatch?: string) =>
      w.clients.coordinator.patch(url(task.id), { title }, ifMatch === undefined ? {} : { "if-match": ifMatch });
    expect((await edit("Any revision", "*")).status).toBe(200);
    expect((await edit("From a list", '"1", "2"')).status).toBe(200);
    expect((await edit("Last write wins")).status).toBe(200);
    expect((await row(task.id)).revision).toBe(4);
    for (const header of ['W/"4"', "4", '"4" "5"', ""]) {
      const res = await edit(`Refused ${header}`, header);
      expect(res.status, header).toBe(412);
    }
    expect((await row(task.id)).title).toBe("Last write wins");
  });

  it("of edits sent at once on the same revision, exactly one applies", async () => {
    const task = await makeTask(w);
    const titles = Array.from({ length: 6 }, (_, i) => `Parallel title ${i}`);
    const answers = await Promise.all(titles.map((title) => w.clients.coordinator.patch(url(task.id), { title }, { "if-match": '"1"' })));
    const applied = answers.flatMap((res, i) => (res.status === 200 ? [titles[i]] : []));
    expect(applied).toHaveLength(1);
    expect(answers.filter((res) => res.status === 412)).toHaveLength(titles.length - 1);
    const after = await row(task.id);
    expect(after.title).toBe(applied[0]);
    expect(after.revision).toBe(2);
  });

  it("counts edits only: a status change or an assignment leaves the revision, so an open edit form still saves", async () => {
    const campaign = await makeCampaign(w);
    const task = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
    const status = await w.clients.adminB.post(`${url(task.id)}/status`, { status: "in_progress" });
    expect(status.status, status.text).toBe(200);
    expect(status.headers.get("etag")).toBe('"1"');
    const assign = await w.clients.coordinator.post(`${url(task.id)}/assign`, { organisationId: w.orgA.id });
    expect(assign.status, assign.text).toBe(200);
    const edit = await w.clients.coordinator.patch(url(task.id), { priority: "high" }, { "if-match": '"1"' });
    expect(edit.status, edit.text).toBe(200);
    expect(edit.json(Task)).toMatchObject({ status: "in_progress", priority: "high", revision: 2 });
  });

  it("answers who may not edit before comparing revisions: 403 for a member, 404 for another coalition", async () => {
    const task = await makeTask(w);
    await w.clients.coordinator.patch(url(task.id), { title: "Moved on" });
    const before = await row(task.id);
    const member = await w.clients.memberB.patch(url(task.id), { title: "Not mine" }, { "if-match": '"1"' });
    expect(member.status).toBe(403);
    const outsider = await w.clients.outsider.patch(url(task.id), { title: "Not ours" }, { "if-match": '"1"' });
    expect(outsider.status).toBe(404);
    const ownPath = await w.clients.outsider.patch(
      `/api/coalitions/${w.other.id}/tasks/${task.id}`,
      { title: "Not ours" },
      { "if-match": "*" },
    );
    expect(ownPath.status).toBe(404);
    expect(await row(task.id)).toEqual(before);
  });
});
