import type { Statement, StatementPublication } from "@samakki/shared/statements";
import { DOMParser } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { addMember, createCoalition, createPerson, createWorld, signInAs, unique } from "../../../../test/factories/index.ts";
import { sha256Hex } from "../../../lib/crypto.ts";
import { cast, draft, draftAndOpen, orgWithRepresentative, type World } from "./helpers.ts";

type Publication = StatementPublication;

/** Parse XML strictly: any warning or error fails the test instead of being repaired silently. */
function parseXml(xml: string) {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(xml, "application/xml");
}

function feedEntry(xml: string, statementId: string) {
  const entry = Array.from(parseXml(xml).getElementsByTagName("entry")).find((e) =>
    e.getElementsByTagName("id")[0]?.textContent?.endsWith(`/statements/${statementId}`),
  );
  if (!entry) throw new Error(`no feed entry for ${statementId}`);
  return entry;
}

describe("publication: signatories frozen at the close, feeds that escape what users write", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  /** An organisation of the coalition with a short name, an admin who can rename it, and a representative. */
  async function orgWithAdmin(shortName: string) {
    const org = await orgWithRepresentative(ctx, w.coalition.id);
    await ctx.db.updateTable("organisation").set({ short_name: shortName }).where("id", "=", org.org.id).execute();
    const admin = await createPerson(ctx);
    await addMember(ctx, org.org.id, admin.id, "admin");
    return { ...org, adminClient: await signInAs(ctx, admin) };
  }

  it("a signatory renamed after the close, or after publication, stays under its old name on the page, in the JSON, the feed and the records", async () => {
    const orgC = await orgWithAdmin(unique("O"));
    const oldA = w.orgA.name;
    const oldC = (await ctx.db
      .selectFrom("organisation")
      .where("id", "=", orgC.org.id)
      .select(["name", "short_name"])
      .executeTakeFirstOrThrow()) as {
      name: string;
      short_name: string;
    };
    const { url, statementId } = await draftAndOpen(w, { text: { title: unique("Frozen signatories"), bodyEn: "We stand together." } });
    for (const [client, organisationId, named] of [
      [w.clients.adminA, w.orgA.id, true],
      [orgC.client, orgC.org.id, true],
      [w.clients.adminB, w.orgB.id, false],
    ] as const)
      expect((await cast(client, url, { organisationId, choice: "endorse", named })).status).toBe(201);
    expect((await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "object" })).status).toBe(201);
    expect((await w.clients.coordinator.post<Statement>(`${url}/vote/close`)).body.status).toBe("adopted");

    // Renamed between the close and the publication…
    const newA = unique("Renamed A");
    expect((await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, { name: newA })).status).toBe(200);
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);
    // …and after the publication.
    const newC = { name: unique("Renamed C"), shortName: unique("R").slice(0, 20) };
    expect((await orgC.adminClient.patch(`/api/organisations/${orgC.org.id}`, newC)).status).toBe(200);

    const oldNames = [oldA, oldC.name, oldC.short_name];
    const newNames = [newA, newC.name, newC.shortName];

    const page = await ctx.anonymous().get(`/statements/${statementId}`);
    expect(page.status).toBe(200);
    for (const name of oldNames) expect(page.text).toContain(name);
    for (const name of newNames) expect(page.text).not.toContain(name);

    const json = await w.clients.memberA.get<Statement & { publication: Publication | null }>(url);
    expect(json.status).toBe(200);
    const publication = json.body.publication;
    if (!publication) throw new Error("no publication in the statement JSON");
    expect(publication.signatories).toEqual(
      [
        { name: oldA, shortName: null },
        { name: oldC.name, shortName: oldC.short_name },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(publication.anonymousCount).toBe(1);
    // (The members' vote view, `vote.ballots`, names organisations as they are now, by id: that is not a publication.)
    for (const name of newNames) expect(JSON.stringify(publication)).not.toContain(name);

    const feed = await ctx.anonymous().get(`/coalitions/${w.coalition.slug}/statements.atom`);
    expect(feed.status).toBe(200);
    const entry = feedEntry(feed.text, statementId).textContent ?? "";
    for (const name of oldNames) expect(entry).toContain(name);
    for (const name of newNames) expect(feed.text).not.toContain(name);

    // The publication record: old names, and its SHA-256 is the fingerprint on the page, in the JSON and in the audit chain.
    const record = await ctx.anonymous().get(`/statements/${statementId}/publication`);
    expect(record.status).toBe(200);
    expect(record.headers.get("content-type")).toContain("text/plain");
    for (const name of oldNames) expect(record.text).toContain(name);
    for (const name of newNames) expect(record.text).not.toContain(name);
    expect(record.text).not.toContain(w.orgB.name);
    expect(record.text).not.toContain(w.secretariat.name);
    const fingerprint = sha256Hex(record.text);
    expect(publication.fingerprint).toBe(fingerprint);
    expect(page.text).toContain(`SHA-256 ${fingerprint}`);
    const audit = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "statement.publish")
      .where("target_id", "=", statementId)
      .select("after")
      .executeTakeFirstOrThrow();
    const after = audit.after as { fingerprint: string; signatories: { name: string }[] };
    expect(after.fingerprint).toBe(fingerprint);
    expect(after.signatories.map((s) => s.name).sort()).toEqual([oldA, oldC.name].sort());

    // The snapshot cannot be rewritten in the database either.
    await expect(
      ctx.db.updateTable("vote_signatory").set({ name: "forged" }).where("organisation_id", "=", w.orgA.id).execute(),
    ).rejects.toThrow(/immutable/);
  });

  it("the public page needs no JavaScript and stays small", async () => {
    const { url, statementId } = await draftAndOpen(w, { quorum: 0.1, text: { title: unique("Small page"), bodyEn: "Short text." } });
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(201);
    await ctx.db
      .updateTable("vote")
      .set({ closes_at: new Date(Date.now() - 1000) })
      .where("statement_id", "=", statementId)
      .execute();
    expect((await w.clients.coordinator.post<Statement>(`${url}/vote/close`)).body.status).toBe("adopted");
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);
    const page = await ctx.anonymous().get(`/statements/${statementId}`);
    expect(page.status).toBe(200);
    expect(page.text.toLowerCase()).not.toContain("<script");
    expect(page.text).not.toMatch(/\son[a-z]+=/i);
    expect(page.text).not.toMatch(/javascript:/i);
    // Markup around a short statement (fonts and CSS are separate, cacheable files).
    expect(new TextEncoder().encode(page.text).length).toBeLessThan(6 * 1024);
    // Its English title is marked as English on the Khmer page, for a screen reader's voice; on the English page it needs no mark.
    expect((await ctx.anonymous().get(`/statements/${statementId}?lang=km`)).text).toMatch(/<h1 lang="en">Small page/);
    expect((await ctx.anonymous().get(`/statements/${statementId}?lang=en`)).text).toMatch(/<h1>Small page/);
  });

  it("the feed emits titles and names as text: markup and ]]> in a title stay literal, no script element anywhere", async () => {
    const world = await createWorld(ctx);
    const evilCoalition = `${unique("Coalition")} </title><script>alert("c")</script>`;
    await ctx.db.updateTable("coalition").set({ name: evilCoalition }).where("id", "=", world.coalition.id).execute();
    const title = `Rights ]]><script>alert(1)</script><![CDATA[ & "quotes" 'apos' ${unique("t")}`;
    const { url, statementId } = await draftAndOpen(world, {
      quorum: 0.1,
      text: { title, bodyEn: 'Body <script>alert(2)</script> <img src=x onerror="alert(3)">' },
    });
    await ctx.db
      .updateTable("organisation")
      .set({ name: `]]><script>alert(4)</script> ${unique("Org")}` })
      .where("id", "=", world.orgA.id)
      .execute();
    expect((await cast(world.clients.adminA, url, { organisationId: world.orgA.id, choice: "endorse" })).status).toBe(201);
    await ctx.db
      .updateTable("vote")
      .set({ closes_at: new Date(Date.now() - 1000) })
      .where("statement_id", "=", statementId)
      .execute();
    expect((await world.clients.coordinator.post<Statement>(`${url}/vote/close`)).body.status).toBe("adopted");
    expect((await world.clients.coordinator.post(`${url}/publish`)).status).toBe(204);

    const feed = await ctx.anonymous().get(`/coalitions/${world.coalition.slug}/statements.atom`);
    expect(feed.status).toBe(200);
    const doc = parseXml(feed.text);
    expect(doc.getElementsByTagName("script").length).toBe(0);
    expect(doc.getElementsByTagNameNS("*", "script").length).toBe(0);
    const entry = feedEntry(feed.text, statementId);
    const entryTitle = entry.getElementsByTagName("title")[0];
    expect(entryTitle?.getAttribute("type")).toBe("text");
    expect(entryTitle?.textContent).toBe(title);
    const feedTitle = Array.from(doc.getElementsByTagName("title")).find((t) => t.parentNode === doc.documentElement);
    expect(feedTitle?.getAttribute("type")).toBe("text");
    expect(feedTitle?.textContent).toBe(evilCoalition);
    // The body is HTML escaped into type="html" content: sanitised, so no script survives in it either.
    const content = entry.getElementsByTagName("content")[0];
    expect(content?.getAttribute("type")).toBe("html");
    expect(content?.textContent?.toLowerCase()).not.toContain("<script");
    expect(content?.textContent).not.toMatch(/onerror/i);
    // The signatory's name is escaped inside that HTML: it shows as text, never as an element.
    expect(content?.textContent).toMatch(/\]\]&(#62|gt);&(#60|lt);script&(#62|gt);alert\(4\)/);
  });

  it("a coalition's feed answers 404 unless it has published statements, exactly like an unknown slug", async () => {
    const empty = await createCoalition(ctx);
    const unpublished = await createWorld(ctx);
    await draft(unpublished, unpublished.clients.memberA, { title: unique("Only a draft") });
    const strip = (text: string) => {
      const body = JSON.parse(text) as Record<string, unknown>;
      delete body.requestId;
      return body;
    };
    const unknown = await ctx.anonymous().get(`/coalitions/${unique("nope")}/statements.atom`);
    expect(unknown.status).toBe(404);
    for (const slug of [empty.slug, unpublished.coalition.slug]) {
      const res = await ctx.anonymous().get(`/coalitions/${slug}/statements.atom`);
      expect(res.status, slug).toBe(404);
      expect(res.headers.get("content-type")).toBe(unknown.headers.get("content-type"));
      expect(strip(res.text)).toEqual(strip(unknown.text));
    }
  });
});
