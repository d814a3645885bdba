import { beforeAll, describe, it } from "vitest";
import type { TestResponse } from "../../../../test/app.ts";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { expectInvalid } from "../../../../test/permissions.ts";
import { type BigWorld, type CampaignBody, extendWorld, makeCampaign, makeTask, type TaskBody } from "../../campaigns/__tests__/helpers.ts";

/** Bad input on every task endpoint: 400 problem+json naming the fields, and the database unchanged. */
describe("task endpoints refuse bad input", () => {
  let ctx: TestContext;
  let w: BigWorld;
  let campaign: CampaignBody;
  let task: TaskBody;
  let url: string;
  const NOPE = "00000000-0000-4000-8000-000000000000";

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
    campaign = await makeCampaign(w);
    task = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
    url = `${w.base}/tasks/${task.id}`;
  });

  const taskState = () => ctx.db.selectFrom("task").where("id", "=", task.id).selectAll().executeTakeFirst();
  const bad = (run: () => Promise<TestResponse>, paths: string[]) => expectInvalid(ctx, run, paths, taskState);

  it("create", async () => {
    const post = (body: unknown) => () => w.clients.coordinator.post(`${w.base}/tasks`, body);
    const ok = { title: "Print ribbons", campaignId: campaign.id };
    await bad(post({ ...ok, colour: "red" }), ["colour"]);
    await bad(post({ ...ok, title: "x" }), ["title"]);
    await bad(post({ ...ok, title: ["Print"] }), ["title"]);
    await bad(post({ ...ok, status: "finished" }), ["status"]);
    await bad(post({ ...ok, priority: "extreme" }), ["priority"]);
    await bad(post({ ...ok, dueOn: "2026-02-30" }), ["dueOn"]);
    await bad(post({ ...ok, dueOn: "tomorrow" }), ["dueOn"]);
    await bad(post({ ...ok, campaignId: "campaign-1" }), ["campaignId"]);
    await bad(post({ ...ok, campaignId: NOPE }), ["campaignId"]);
    await bad(post({ ...ok, labels: ["a,b"] }), ["labels.0"]);
    await bad(post({ ...ok, labels: "urgent" }), ["labels"]);
    await bad(post({ ...ok, assigneeOrganisationId: "org" }), ["assigneeOrganisationId"]);
    // A person without an organisation, an organisation not active in the coalition, a person outside the organisation.
    await bad(post({ ...ok, assigneePersonId: w.people.memberA.id }), ["assigneePersonId"]);
    await bad(post({ ...ok, assigneeOrganisationId: w.otherOrg.id }), ["assigneeOrganisationId"]);
    await bad(post({ ...ok, assigneeOrganisationId: w.suspendedOrg.id }), ["assigneeOrganisationId"]);
    await bad(post({ ...ok, assigneeOrganisationId: w.orgA.id, assigneePersonId: w.people.adminB.id }), ["assigneePersonId"]);
    // The other coalition's campaign is unknown here.
    const theirs = await ctx.db
      .insertInto("campaign")
      .values({ coalition_id: w.other.id, title: "Theirs", slug: "theirs" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await bad(post({ ...ok, campaignId: theirs.id }), ["campaignId"]);
  });

  it("edit", async () => {
    const patch = (body: unknown) => () => w.clients.coordinator.patch(url, body);
    await bad(patch({}), [""]);
    await bad(patch({ status: "done" }), ["status", ""]);
    await bad(patch({ dueOn: "2026-13-01" }), ["dueOn"]);
    await bad(patch({ priority: 3 }), ["priority"]);
    await bad(patch({ labels: [""] }), ["labels.0"]);
    await bad(patch({ title: "x".repeat(201) }), ["title"]);
  });

  it("assign, delegate, status, comment", async () => {
    const assign = (body: unknown) => () => w.clients.coordinator.post(`${url}/assign`, body);
    await bad(assign({}), ["organisationId"]);
    await bad(assign({ organisationId: "x" }), ["organisationId"]);
    await bad(assign({ organisationId: w.orgB.id, personId: w.people.adminA.id }), ["personId"]);
    await bad(assign({ organisationId: w.orgB.id, personId: w.people.outsider.id }), ["personId"]);
    await bad(assign({ organisationId: w.otherOrg.id }), ["organisationId"]);
    await bad(assign({ organisationId: w.observerOrg.id }), ["organisationId"]);
    await bad(assign({ organisationId: null, personId: w.people.memberB.id }), ["personId"]);
    await bad(assign({ organisationId: w.orgB.id, team: "x" }), ["team"]);
    const delegate = (body: unknown) => () => w.clients.adminB.post(`${url}/delegate`, body);
    await bad(delegate({}), ["personId"]);
    await bad(delegate({ personId: "me" }), ["personId"]);
    await bad(delegate({ personId: w.people.memberA.id }), ["personId"]);
    await bad(delegate({ personId: w.people.outsider.id }), ["personId"]);
    await bad(delegate({ personId: NOPE }), ["personId"]);
    const status = (body: unknown) => () => w.clients.adminB.post(`${url}/status`, body);
    await bad(status({ status: "finished" }), ["status"]);
    await bad(status({ status: "DONE" }), ["status"]);
    await bad(status({}), ["status"]);
    const comment = (body: unknown) => () => w.clients.memberA.post(`${url}/comments`, body);
    await bad(comment({ body: "" }), ["body"]);
    await bad(comment({ body: " \n " }), ["body"]);
    await bad(comment({ text: "hi" }), ["body", "text"]);
  });

  it("list and export queries", async () => {
    for (const path of ["/tasks", "/tasks.csv"]) {
      const get = (query: string) => () => w.clients.coordinator.get(`${w.base}${path}?${query}`);
      await bad(get("status=finished"), ["query.status"]);
      await bad(get("status=todo,finished"), ["query.status"]);
      await bad(get("status=todo;done"), ["query.status"]);
      await bad(get("view=everything"), ["query.view"]);
      await bad(get("priority=extreme"), ["query.priority"]);
      await bad(get("dueBefore=2026-02-30"), ["query.dueBefore"]);
      await bad(get("organisationId=org"), ["query.organisationId"]);
      await bad(get("personId=me"), ["query.personId"]);
      await bad(get("campaignId=c1"), ["query.campaignId"]);
      await bad(get("sort=title"), ["query.sort"]);
    }
    await bad(() => w.clients.coordinator.get(`${w.base}/tasks?limit=101`), ["query.limit"]);
    await bad(() => w.clients.coordinator.get(`${w.base}/tasks?limit=-1`), ["query.limit"]);
    // The export takes no page parameters.
    await bad(() => w.clients.coordinator.get(`${w.base}/tasks.csv?limit=10`), ["query.limit"]);
    // A cursor we did not issue is bad input (400), not "from the start".
    for (const cursor of ["garbage", Buffer.from("2026-01-01T00:00:00.000Z|not-a-uuid").toString("base64url")])
      await bad(() => w.clients.coordinator.get(`${w.base}/tasks?cursor=${cursor}`), ["query.cursor"]);
    await bad(() => w.clients.coordinator.get(`${w.base}/tasks.csv?cursor=garbage`), ["query.cursor"]);
  });
});
