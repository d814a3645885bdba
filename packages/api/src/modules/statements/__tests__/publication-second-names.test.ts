import type { Statement, StatementPublication } from "@samakki/shared/statements";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { addMember, createPerson, createWorld, signInAs, unique } from "../../../../test/factories/index.ts";
import { sha256Hex } from "../../../lib/crypto.ts";
import { PUBLIC_PAGE_CSP } from "../../../lib/security.ts";
import { cast, draftAndOpen, orgWithRepresentative, type World } from "./helpers.ts";

type Publication = StatementPublication;

/**
 * Published signatories with second names (issue 10, item 10): the snapshot taken at the close
 * copies the second name too, the public page shows it in its language, and a later rename of
 * either name changes nothing that was published.
 */
describe("publication: second names frozen at the close", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  it("the Khmer page shows the Khmer name as it was at the close; renaming after publication changes nothing published", async () => {
    const orgC = await orgWithRepresentative(ctx, w.coalition.id);
    const adminC = await createPerson(ctx);
    await addMember(ctx, orgC.org.id, adminC.id, "admin");
    const adminCClient = await signInAs(ctx, adminC);
    const kmA = unique("សមាគម ក");
    expect((await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, { secondName: { language: "km", name: kmA } })).status).toBe(
      200,
    );

    const { url, statementId } = await draftAndOpen(w, { text: { title: unique("Second names"), bodyEn: "Together." } });
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse", named: true })).status).toBe(201);
    expect((await cast(orgC.client, url, { organisationId: orgC.org.id, choice: "endorse", named: true })).status).toBe(201);
    // Enough of the coalition takes part for the quorum: an anonymous endorsement and an objection.
    expect((await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "endorse", named: false })).status).toBe(201);
    expect((await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "object" })).status).toBe(201);
    expect((await w.clients.coordinator.post<Statement>(`${url}/vote/close`)).body.status).toBe("adopted");
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);
    const oldC = await ctx.db.selectFrom("organisation").where("id", "=", orgC.org.id).select("name").executeTakeFirstOrThrow();

    const khmer = await ctx.anonymous().get(`/statements/${statementId}?lang=km`);
    const english = await ctx.anonymous().get(`/statements/${statementId}?lang=en`);
    const record = await ctx.anonymous().get(`/statements/${statementId}/publication`);
    expect(khmer.text).toContain(kmA);
    expect(khmer.text).not.toContain(`<li>${w.orgA.name}`);
    expect(english.text).toContain(`<li>${w.orgA.name}`);
    expect(english.text).not.toContain(kmA);
    // orgC has no second name: its name on both pages.
    expect(khmer.text).toContain(oldC.name);
    // Khmer on the page: it is drawn in the Khmer face from its first paint, which its policy allows.
    expect(khmer.text).toContain('<link rel="stylesheet" href="/public/statement.css"><link rel="stylesheet" href="/public/khmer.css"/>');
    expect(khmer.headers.get("content-security-policy")).toBe(PUBLIC_PAGE_CSP);

    // Both organisations rename everything after the publication.
    const renamed = { name: unique("Renamed A"), secondName: { language: "km", name: unique("ឈ្មោះថ្មី") } };
    expect((await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, renamed)).status).toBe(200);
    const renamedC = { secondName: { language: "km", name: unique("ឈ្មោះថ្មី គ") } };
    expect((await adminCClient.patch(`/api/organisations/${orgC.org.id}`, renamedC)).status).toBe(200);

    // Nothing published changed: the pages, the record (and so its fingerprint), the JSON, the feed.
    expect((await ctx.anonymous().get(`/statements/${statementId}?lang=km`)).text).toBe(khmer.text);
    expect((await ctx.anonymous().get(`/statements/${statementId}?lang=en`)).text).toBe(english.text);
    const recordAfter = await ctx.anonymous().get(`/statements/${statementId}/publication`);
    expect(recordAfter.text).toBe(record.text);
    const json = await w.clients.memberA.get<Statement & { publication: Publication | null }>(url);
    expect(json.body.publication?.fingerprint).toBe(sha256Hex(record.text));
    expect(json.body.publication?.signatories).toEqual(
      expect.arrayContaining([
        { name: w.orgA.name, shortName: null, secondName: { language: "km", name: kmA } },
        { name: oldC.name, shortName: null },
      ]),
    );
    const feed = await ctx.anonymous().get(`/coalitions/${w.coalition.slug}/statements.atom?lang=km`);
    expect(feed.text).toContain(kmA);
    for (const name of [renamed.name, renamed.secondName.name, renamedC.secondName.name]) {
      expect(JSON.stringify(json.body.publication)).not.toContain(name);
      expect(feed.text).not.toContain(name);
    }
    // The snapshot's second name cannot be rewritten in the database either.
    await expect(
      ctx.db.updateTable("vote_signatory").set({ second_name: "forged" }).where("organisation_id", "=", w.orgA.id).execute(),
    ).rejects.toThrow(/immutable/);
  });

  it("the vote panel, the turnout list and the dashboard name each organisation with its second name, for the web to show in the reader's language", async () => {
    // A world of its own: every eligible organisation votes, so the coordinator may close at once.
    const v = await createWorld(ctx);
    const kmB = unique("សមាគម ខ");
    expect((await v.clients.adminB.patch(`/api/organisations/${v.orgB.id}`, { secondName: { language: "km", name: kmB } })).status).toBe(
      200,
    );
    const { url } = await draftAndOpen(v, { text: { title: unique("Names in the panel"), bodyEn: "Together." } });
    const secondB = { language: "km", name: kmB };

    // The representative's own ballot box, before casting: the organisation it casts for.
    const before = await v.clients.adminB.get<Statement>(url);
    expect(before.body.vote?.myOrganisations.find((m) => m.organisation.id === v.orgB.id)?.organisation.secondName).toEqual(secondB);
    const dashboard = await v.clients.adminB.get<{
      votes: { items: Array<{ organisations: Array<{ id: string; secondName: unknown }> }> };
    }>(`/api/coalitions/${v.coalition.id}/dashboard`);
    const waiting = dashboard.body.votes.items.flatMap((v) => v.organisations).find((o) => o.id === v.orgB.id);
    expect(waiting?.secondName).toEqual(secondB);

    expect((await cast(v.clients.adminB, url, { organisationId: v.orgB.id, choice: "endorse", named: true })).status).toBe(201);
    const turnout = await v.clients.coordinator.get<{ organisations: Array<{ id: string; secondName: unknown }> }>(`${url}/vote/turnout`);
    expect(turnout.body.organisations.find((o) => o.id === v.orgB.id)?.secondName).toEqual(secondB);
    // An organisation without one says so (null), rather than leaving it out.
    expect(turnout.body.organisations.find((o) => o.id === v.secretariat.id)?.secondName).toBeNull();

    // After the close, the named endorsements (the signatories to be) carry it too.
    expect((await cast(v.clients.adminA, url, { organisationId: v.orgA.id, choice: "endorse", named: true })).status).toBe(201);
    expect((await cast(v.clients.coordinator, url, { organisationId: v.secretariat.id, choice: "endorse", named: true })).status).toBe(201);
    expect((await v.clients.coordinator.post<Statement>(`${url}/vote/close`)).body.status).toBe("adopted");
    const after = await v.clients.memberA.get<Statement>(url);
    expect(after.body.vote?.ballots?.find((b) => b.organisation.id === v.orgB.id)?.organisation.secondName).toEqual(secondB);
  });
});
