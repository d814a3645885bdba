import type { Statement, StatementVersion, TurnoutList } from "@samakki/shared/statements";
import { DOMParser } from "@xmldom/xmldom";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { sha256Hex } from "../../../lib/crypto.ts";
import { PUBLIC_PAGE_CSP } from "../../../lib/security.ts";
import { textHash } from "../statement-text.ts";
import {
  addRepresentative,
  ballotsOf,
  cast,
  draft,
  draftAndOpen,
  expectProblem,
  open,
  orgWithRepresentative,
  type World,
} from "./helpers.ts";

/** The text content of the feed entry of one statement. */
function feedEntry(xml: string, statementId: string): string {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  const entries = Array.from(doc.getElementsByTagName("entry"));
  const entry = entries.find((e) => e.getElementsByTagName("id")[0]?.textContent?.endsWith(`/statements/${statementId}`));
  if (!entry) throw new Error(`no feed entry for ${statementId}`);
  return entry.textContent ?? "";
}

describe("statement text, ballots and publication: integrity and privacy", () => {
  let ctx: TestContext;
  let w: World;
  let orgC: Awaited<ReturnType<typeof orgWithRepresentative>>;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    orgC = await orgWithRepresentative(ctx, w.coalition.id);
  });

  /** A published statement: A endorses named, B endorses anonymously, the secretariat objects, C abstains. */
  async function publishedScenario(text: { title: string; bodyEn: string; bodyKm: string }) {
    const opened = await draftAndOpen(w, { text });
    const { url } = opened;
    const receipts = {
      a: await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse", named: true, comment: "Comment of A, private" }),
      b: await cast(w.clients.adminB, url, {
        organisationId: w.orgB.id,
        choice: "endorse",
        named: false,
        comment: "Comment of B, private",
      }),
      s: await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "object", comment: "Too strong, private" }),
      c: await cast(orgC.client, url, { organisationId: orgC.org.id, choice: "abstain", comment: "Abstaining, private" }),
    };
    for (const r of Object.values(receipts)) expect(r.status, r.text).toBe(201);
    const closed = await w.clients.coordinator.post<Statement>(`${url}/vote/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe("adopted");
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);
    return { ...opened, receipts, closed: closed.body };
  }

  it("text freezing: editing during an open vote is refused; the published text's hash equals the voted version's hash", async () => {
    const text = {
      title: "On the arrest of journalists",
      bodyEn: "We **condemn** the arrests.\r\n\r\nRelease them now.  ",
      bodyKm: "យើងថ្កោលទោសការចាប់ខ្លួនអ្នកសារព័ត៌មាន។",
    };
    const { url, statementId, sha256 } = await draftAndOpen(w, { text });
    expect(sha256).toBe(textHash(text));
    const versionsBefore = await ctx.db.selectFrom("statement_version").where("statement_id", "=", statementId).select("id").execute();
    for (const client of [w.clients.memberA, w.clients.coordinator]) {
      expectProblem(
        await client.post(`${url}/versions`, { title: "Changed during the vote", bodyEn: "Other text" }),
        422,
        "precondition_failed",
      );
    }
    expect(await ctx.db.selectFrom("statement_version").where("statement_id", "=", statementId).select("id").execute()).toEqual(
      versionsBefore,
    );

    for (const [client, organisationId] of [
      [w.clients.adminA, w.orgA.id],
      [w.clients.adminB, w.orgB.id],
      [w.clients.coordinator, w.secretariat.id],
      [orgC.client, orgC.org.id],
    ] as const) {
      expect((await cast(client, url, { organisationId, choice: "endorse" })).status).toBe(201);
    }
    const closed = await w.clients.coordinator.post<Statement>(`${url}/vote/close`);
    expect(closed.body.status).toBe("adopted");
    // Adopted: frozen too.
    expectProblem(await w.clients.coordinator.post(`${url}/versions`, { title: "After adoption", bodyEn: "Other text" }), 422);
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);
    expectProblem(await w.clients.coordinator.post(`${url}/versions`, { title: "After publication", bodyEn: "Other text" }), 422);

    const page = await ctx.anonymous().get(`/statements/${statementId}`);
    const shown = /SHA-256 ([0-9a-f]{64})/.exec(page.text)?.[1];
    expect(shown).toBe(sha256);
    // The exact text behind the fingerprint is published, and anyone recomputes the same SHA-256 from it.
    const canonical = await ctx.anonymous().get(`/statements/${statementId}/text`);
    expect(canonical.status).toBe(200);
    expect(canonical.headers.get("content-type")).toContain("text/plain");
    expect(page.text).toContain(`/statements/${statementId}/text`);
    expect(sha256Hex(canonical.text)).toBe(shown);
    expect(canonical.text).toContain("Release them now.");
    expect(canonical.text).toContain(text.bodyKm);
    expect(textHash(text)).toBe(shown);
    const audit = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "statement.publish")
      .where("target_id", "=", statementId)
      .select("after")
      .executeTakeFirstOrThrow();
    expect((audit.after as { sha256: string }).sha256).toBe(sha256);
  });

  it("versions are immutable in the database; ballots cannot be rewritten or deleted, only marked superseded once", async () => {
    const { url, statementId, voteId } = await draftAndOpen(w);
    await expect(sql`UPDATE statement_version SET body_en = 'forged' WHERE statement_id = ${statementId}`.execute(ctx.db)).rejects.toThrow(
      /immutable/,
    );
    await expect(sql`UPDATE statement_version SET sha256 = 'forged' WHERE statement_id = ${statementId}`.execute(ctx.db)).rejects.toThrow(
      /immutable/,
    );
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "object" })).status).toBe(201);
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(201);
    const [old, current] = await ballotsOf(ctx, voteId);
    if (!old || !current) throw new Error("two ballots expected");
    await expect(sql`UPDATE ballot SET choice = 'object' WHERE id = ${current.id}`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE ballot SET named = false WHERE id = ${current.id}`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE ballot SET receipt = 'X' WHERE id = ${current.id}`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE ballot SET superseded_at = NULL WHERE id = ${old.id}`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE ballot SET superseded_at = now() WHERE id = ${old.id}`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE ballot SET superseded_at = now(), choice = 'abstain' WHERE id = ${current.id}`.execute(ctx.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM ballot WHERE id = ${old.id}`.execute(ctx.db)).rejects.toThrow(/cannot be deleted/);
    // Only the superseded mark may be set (here inside a transaction rolled back, to leave the vote intact).
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        await sql`UPDATE ballot SET superseded_at = now() WHERE id = ${current.id}`.execute(trx);
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    // The unique index holds whatever the code does: a second counted ballot is refused.
    await expect(
      sql`INSERT INTO ballot (vote_id, organisation_id, choice, named, cast_at, nonce, receipt) VALUES (${voteId}, ${w.orgA.id}, 'endorse', true, now(), 'n', ${unique("R")})`.execute(
        ctx.db,
      ),
    ).rejects.toThrow(/ballot_one_counted_key|duplicate/);
    // A ballot for an organisation not eligible in the vote is refused by the foreign key.
    await expect(
      sql`INSERT INTO ballot (vote_id, organisation_id, choice, named, cast_at, nonce, receipt) VALUES (${voteId}, ${w.observerOrg.id}, 'endorse', true, now(), 'n', ${unique("R")})`.execute(
        ctx.db,
      ),
    ).rejects.toThrow();
    const after = await ballotsOf(ctx, voteId);
    expect(after.map((b) => [b.id, b.choice, b.superseded_at?.getTime() ?? null])).toEqual(
      [old, current].map((b) => [b.id, b.choice, b.superseded_at?.getTime() ?? null]),
    );
  });

  it("outcome re-verification matches; tampering with a counted ballot in the database is detected", async () => {
    const { statementId, closed } = await publishedScenario({ title: unique("Verified"), bodyEn: "Text to verify.", bodyKm: "" });
    const url = `/api/coalitions/${w.coalition.id}/statements/${statementId}`;
    const verify = await w.clients.memberA.get<{ matches: boolean; stored: { outcome: string }; recomputed: { outcome: string } }>(
      `${url}/vote/verify`,
    );
    expect(verify.status).toBe(200);
    expect(verify.body.matches).toBe(true);
    expect(verify.body.recomputed.outcome).toBe("adopted");
    const voteId = closed.vote?.id ?? "";
    const secretariatBallot = await ctx.db
      .selectFrom("ballot")
      .where("vote_id", "=", voteId)
      .where("organisation_id", "=", w.secretariat.id)
      .where("superseded_at", "is", null)
      .select(["id", "choice"])
      .executeTakeFirstOrThrow();
    const tamper = async (choice: string) => {
      await sql`ALTER TABLE ballot DISABLE TRIGGER ballot_no_rewrite`.execute(ctx.db);
      try {
        await sql`UPDATE ballot SET choice = ${choice} WHERE id = ${secretariatBallot.id}`.execute(ctx.db);
      } finally {
        await sql`ALTER TABLE ballot ENABLE TRIGGER ballot_no_rewrite`.execute(ctx.db);
      }
    };
    await tamper("endorse");
    try {
      const tampered = await w.clients.memberA.get<{ matches: boolean }>(`${url}/vote/verify`);
      expect(tampered.status).toBe(200);
      expect(tampered.body.matches).toBe(false);
    } finally {
      await tamper(secretariatBallot.choice);
    }
    expect((await w.clients.memberA.get<{ matches: boolean }>(`${url}/vote/verify`)).body.matches).toBe(true);
    // The trigger is back.
    await expect(sql`UPDATE ballot SET choice = 'endorse' WHERE id = ${secretariatBallot.id}`.execute(ctx.db)).rejects.toThrow(
      /append-only/,
    );
    // Outsiders cannot verify another coalition's vote.
    expect((await w.clients.outsider.get(`${url}/vote/verify`)).status).toBe(404);
  });

  it("receipts: one per cast, shown to the organisation, all counted ones listed after the close and no superseded one; unique and revealing nothing", async () => {
    const { url, voteId } = await draftAndOpen(w);
    const second = await addRepresentative(ctx, w.orgA.id);
    const a1 = await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "object" });
    const a2 = await cast(second.client, url, { organisationId: w.orgA.id, choice: "endorse", named: false });
    const b1 = await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "endorse" });
    for (const r of [a1, a2, b1]) expect(r.status).toBe(201);
    const all = [a1, a2, b1].map((r) => r.body.receipt);
    expect(new Set(all).size).toBe(3);
    for (const receipt of all) expect(receipt).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);

    const viewA = await w.clients.memberA.get<Statement>(url);
    expect(viewA.body.vote?.myOrganisations[0]?.ballot?.receipt).toBe(a2.body.receipt);
    expect(viewA.body.vote?.receipts).toBeNull();
    // The receipt is not an id, nor derived visibly from one.
    const ballots = await ballotsOf(ctx, voteId);
    const ids = [voteId, w.orgA.id, w.orgB.id, ...ballots.map((b) => b.id), ...ballots.map((b) => b.nonce)];
    for (const receipt of all) {
      const compact = receipt.replaceAll("-", "").toLowerCase();
      for (const id of ids) {
        expect(id.toLowerCase()).not.toContain(compact);
        expect(compact).not.toContain(id.replaceAll("-", "").slice(0, 8).toLowerCase());
      }
    }
    // B's view does not show A's receipt.
    const viewB = await w.clients.adminB.get<Statement>(url);
    expect(viewB.text).not.toContain(a2.body.receipt);
    expect(viewB.text).not.toContain(a1.body.receipt);

    expect((await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "abstain" })).status).toBe(201);
    expect((await cast(orgC.client, url, { organisationId: orgC.org.id, choice: "endorse" })).status).toBe(201);
    const closed = await w.clients.coordinator.post<Statement>(`${url}/vote/close`);
    const counted = ballots.length ? (await ballotsOf(ctx, voteId)).filter((b) => b.superseded_at === null).map((b) => b.receipt) : [];
    expect(closed.body.vote?.receipts?.slice().sort()).toEqual(counted.sort());
    expect(closed.body.vote?.receipts).toContain(a2.body.receipt);
    expect(closed.body.vote?.receipts).toContain(b1.body.receipt);
    expect(closed.body.vote?.receipts).not.toContain(a1.body.receipt);
    expect(closed.body.vote?.receipts).toHaveLength(4);
  });

  it("visibility: before the close members see how many voted, coordinators who, nobody how (tally only when visible); after it, the named endorsements only, the rest counted; outsiders 404", async () => {
    const hidden = await draftAndOpen(w);
    const shown = await draftAndOpen(w, { totalsVisible: true });
    for (const { url } of [hidden, shown]) {
      expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "object" })).status).toBe(201);
      expect((await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "endorse", named: false })).status).toBe(201);
    }
    for (const client of [w.clients.memberA, w.clients.observer, w.clients.coordinator]) {
      const before = (await client.get<Statement>(hidden.url)).body.vote;
      expect(before?.ballots).toBeNull();
      expect(before?.tally).toBeNull();
      expect(before?.receipts).toBeNull();
      expect(before?.turnout).toEqual({ eligible: 4, voted: 2 });
      const visible = (await client.get<Statement>(shown.url)).body.vote;
      expect(visible?.ballots).toBeNull();
      expect(visible?.tally).toMatchObject({ cast: 2, endorse: 1, object: 1, anonymous: 1 });
      // Who has voted, by name, is its own answer (loaded when the vote panel's list is opened), for
      // coordinators only: beside the named endorsements, it would name the anonymous ones.
      const turnout = await client.get<TurnoutList>(`${hidden.url}/vote/turnout`);
      if (client !== w.clients.coordinator) {
        expectProblem(turnout, 403, "forbidden");
        continue;
      }
      expect(turnout.status).toBe(200);
      expect(turnout.body).toMatchObject({ eligible: 4, voted: 2 });
      expect(Object.fromEntries(turnout.body.organisations.map((o) => [o.id, o.hasVoted]))).toEqual({
        [w.orgA.id]: true,
        [w.orgB.id]: true,
        [w.secretariat.id]: false,
        [orgC.org.id]: false,
      });
      expect(turnout.text).not.toMatch(/"choice"|"endorse"|"object"|"abstain"|"named"/);
    }
    // The observer sees no choice anywhere in the response before the close.
    const observerView = await w.clients.observer.get(hidden.url);
    expect(observerView.text).not.toMatch(/"choice"/);
    // Nor does the coordinator through the audit log: ballot events name the ballot and its receipt, not the choice.
    const audit = await w.clients.coordinator.get(`/api/coalitions/${w.coalition.id}/audit?action=ballot.cast`);
    expect(audit.status).toBe(200);
    expect(audit.text).toContain("receipt");
    expect(audit.text).not.toMatch(/"choice"|"endorse"|"object"|"named"/);
    for (const { url } of [hidden, shown])
      for (const path of [url, `${url}/vote/turnout`]) {
        expect((await w.clients.outsider.get(path)).status).toBe(404);
        expect((await w.clients.anonymous.get(path)).status).toBe(401);
        expect((await w.clients.suspended.get(path)).status).toBe(404);
      }

    await sql`UPDATE vote SET closes_at = now() - interval '1 second' WHERE id = ${hidden.voteId}`.execute(ctx.db);
    expect((await w.clients.coordinator.post(`${hidden.url}/vote/close`)).status).toBe(200);
    const after = (await w.clients.memberA.get<Statement>(hidden.url)).body.vote;
    expect(after?.status).toBe("closed");
    // B endorsed anonymously: counted in the tally, never named, not even to members. Nor is A's
    // objection: named, it would leave B the one voter unaccounted for, to anyone who knew who voted.
    expect(after?.ballots).toEqual([]);
    expect(after?.tally).toMatchObject({ eligible: 4, cast: 2, endorse: 1, object: 1, anonymous: 1 });
    expectProblem(await w.clients.memberA.get(`${hidden.url}/vote/turnout`), 403, "forbidden");
  });

  it("the public page and the feed name the coalition in the page's language", async () => {
    const { statementId } = await publishedScenario({ title: unique("On rivers"), bodyEn: "We call for clean rivers.", bodyKm: "" });
    const kmName = unique("សម្ព័ន្ធ");
    expect(
      (await w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}`, { secondName: { language: "km", name: kmName } })).status,
    ).toBe(200);
    try {
      const km = (await ctx.anonymous().get(`/statements/${statementId}?lang=km`)).text;
      expect(km).toContain(kmName);
      // Khmer's colon after a label, not ASCII's.
      expect(km).toContain("៖ SHA-256");
      const en = (await ctx.anonymous().get(`/statements/${statementId}?lang=en`)).text;
      expect(en).toContain(w.coalition.name);
      expect(en).not.toContain(kmName);
      // Its feed too: the feed's title and author in the language asked for.
      const feed = (lang: string) => ctx.anonymous().get(`/coalitions/${w.coalition.slug}/statements.atom?lang=${lang}`);
      expect((await feed("km")).text).toContain(`<title type="text">${kmName}</title>`);
      expect((await feed("en")).text).toContain(`<title type="text">${w.coalition.name}</title>`);
      expect((await feed("en")).text).not.toContain(kmName);
    } finally {
      await w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}`, { secondName: null });
    }
  });

  it("privacy: the public page and feed never contain anonymous endorsers', objectors' or abstainers' names, nor ballot comments; drafts are not public; no script, no cookie needed", async () => {
    const title = unique("On freedom of expression");
    const { statementId, receipts } = await publishedScenario({ title, bodyEn: "We call for *freedom*.", bodyKm: "យើងទាមទារសេរីភាព។" });
    const page = await ctx.anonymous().get(`/statements/${statementId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("set-cookie")).toBeNull();
    expect(page.text).toContain(title);
    expect(page.text).toContain(w.orgA.name);
    expect(page.text).toContain("យើងទាមទារសេរីភាព");
    const forbidden = [
      w.orgB.name, // anonymous endorser
      w.secretariat.name, // objector
      orgC.org.name, // abstainer
      "private", // any ballot comment
      w.people.adminA.display_name,
      w.people.adminB.display_name,
      w.people.coordinator.display_name,
      w.people.adminA.email,
    ];
    for (const text of forbidden) expect(page.text).not.toContain(text);
    expect(page.text.toLowerCase()).not.toContain("<script");
    expect(page.text).not.toMatch(/\son[a-z]+=/i);
    // Receipts are listed (all four counted ones), revealing no choice.
    for (const r of Object.values(receipts)) expect(page.text).toContain(r.body.receipt);
    // In Khmer too.
    const km = await ctx.anonymous().get(`/statements/${statementId}?lang=km`);
    expect(km.status).toBe(200);
    for (const text of forbidden) expect(km.text).not.toContain(text);
    // A signed-in visitor gets the same page.
    const signedIn = await w.clients.adminB.get(`/statements/${statementId}`);
    expect(signedIn.text).not.toContain(w.orgB.name);

    const feed = await ctx.anonymous().get(`/coalitions/${w.coalition.slug}/statements.atom`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toContain("application/atom+xml");
    expect(feed.text).toContain(`/statements/${statementId}`);
    // This statement's entry names none of them; the rest of the feed (other statements of the
    // coalition, where B and the secretariat may be named signatories) has no comment or person.
    const entry = feedEntry(feed.text, statementId);
    for (const text of forbidden) expect(entry).not.toContain(text);
    for (const text of forbidden.slice(3)) expect(feed.text).not.toContain(text);

    // Draft, voting and adopted-but-unpublished statements are not public, nor in the feed.
    const draftTitle = unique("Secret draft");
    const drafted = await draft(w, w.clients.memberA, { title: draftTitle, bodyEn: "Draft body never public" });
    const votingTitle = unique("Secret voting");
    const voting = await draftAndOpen(w, { text: { title: votingTitle, bodyEn: "Voting body never public" } });
    const adoptedTitle = unique("Secret adopted");
    const adopted = await draftAndOpen(w, { text: { title: adoptedTitle, bodyEn: "Adopted body not yet public" } });
    for (const [client, organisationId] of [
      [w.clients.adminA, w.orgA.id],
      [w.clients.adminB, w.orgB.id],
      [w.clients.coordinator, w.secretariat.id],
      [orgC.client, orgC.org.id],
    ] as const) {
      expect((await cast(client, adopted.url, { organisationId, choice: "endorse" })).status).toBe(201);
    }
    expect((await w.clients.coordinator.post<Statement>(`${adopted.url}/vote/close`)).body.status).toBe("adopted");
    for (const id of [drafted.statement.id, voting.statementId, adopted.statementId]) {
      const res = await ctx.anonymous().get(`/statements/${id}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toMatch(/Secret|never public|not yet public/);
      expect((await ctx.anonymous().get(`/statements/${id}/text`)).status).toBe(404);
      expect((await w.clients.memberA.get(`/statements/${id}`)).status).toBe(404);
    }
    expect((await ctx.anonymous().get("/statements/not-a-uuid")).status).toBe(404);
    // The same not-found page for an unpublished statement as for an id nobody has, in Khmer drawn
    // in the Khmer face from its first paint (under the public pages' policy), and cached a minute only.
    const unknownKm = await ctx.anonymous().get(`/statements/${crypto.randomUUID()}?lang=km`);
    const unpublishedKm = await ctx.anonymous().get(`/statements/${adopted.statementId}?lang=km`);
    expect(unknownKm.status).toBe(404);
    expect(unpublishedKm.status).toBe(404);
    expect(unpublishedKm.text).toBe(unknownKm.text);
    expect(unknownKm.text).toContain('<link rel="stylesheet" href="/public/khmer.css"/>');
    expect(unknownKm.headers.get("content-security-policy")).toBe(PUBLIC_PAGE_CSP);
    expect(unknownKm.headers.get("cache-control")).toMatch(/max-age=60\b/);
    const feedAgain = await ctx.anonymous().get(`/coalitions/${w.coalition.slug}/statements.atom`);
    // ("Secretariat" may be a named signatory of another published statement.)
    expect(feedAgain.text).not.toMatch(/Secret (draft|voting|adopted)|never public|not yet public/);
    expect((await ctx.anonymous().get(`/coalitions/${unique("nope")}/statements.atom`)).status).toBe(404);
  });

  it("an organisation name with markup is escaped on the public page", async () => {
    const evil = await orgWithRepresentative(ctx, w.coalition.id);
    await ctx.db
      .updateTable("organisation")
      .set({ name: `<img src=x onerror=alert(1)> ${unique("Evil")}` })
      .where("id", "=", evil.org.id)
      .execute();
    const { url, statementId } = await draftAndOpen(w, { quorum: 0.1 });
    expect((await cast(evil.client, url, { organisationId: evil.org.id, choice: "endorse" })).status).toBe(201);
    await sql`UPDATE vote SET closes_at = now() - interval '1 second' WHERE statement_id = ${statementId}`.execute(ctx.db);
    expect((await w.clients.coordinator.post<Statement>(`${url}/vote/close`)).body.status).toBe("adopted");
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);
    const page = await ctx.anonymous().get(`/statements/${statementId}`);
    expect(page.text).not.toContain("<img");
    expect(page.text).toContain("&#60;img");
  });

  describe("versions", () => {
    it("diff is word-level, and a Khmer change is a small changed part, not the whole paragraph", async () => {
      const kmBefore = "យើងគាំទ្រសេរីភាពនៃការបញ្ចេញមតិ និងសិទ្ធិមនុស្សនៅកម្ពុជា។ យើងទាមទារឱ្យដោះលែងអ្នកសារព័ត៌មានទាំងអស់។";
      const kmAfter = kmBefore.replace("គាំទ្រ", "ការពារ");
      const { url } = await draft(w, w.clients.memberA, {
        title: "Diff test",
        bodyEn: "We support free expression in Cambodia.",
        bodyKm: kmBefore,
      });
      const saved = await w.clients.memberA.post<Statement>(`${url}/versions`, {
        title: "Diff test",
        bodyEn: "We defend free expression in Cambodia.",
        bodyKm: kmAfter,
      });
      expect(saved.status).toBe(201);
      expect(saved.body.versions.map((v) => v.number)).toEqual([1, 2]);
      // The statement carries the last version's text (and only that version's); each version keeps its own.
      const read = await w.clients.memberA.get<Statement>(url);
      expect(read.body.current).toMatchObject({ number: 2, bodyEn: "We defend free expression in Cambodia.", bodyKm: kmAfter });
      expect(read.body.current.bodyEnHtml).toContain("We defend free expression");
      expect(read.body.current.id).toBe(read.body.versions[1]?.id);
      expect(read.body.versions.map((v) => Object.keys(v).sort())).toEqual(
        read.body.versions.map(() => ["author", "createdAt", "id", "number", "sha256", "title"]),
      );
      const first = await w.clients.memberA.get<StatementVersion>(`${url}/versions/1`);
      expect(first.body).toMatchObject({ number: 1, bodyEn: "We support free expression in Cambodia.", bodyKm: kmBefore });
      const diff = await w.clients.memberA.get<{
        bodyKm: { value: string; added: boolean; removed: boolean }[];
        bodyEn: { value: string; added: boolean; removed: boolean }[];
        title: { added: boolean; removed: boolean }[];
      }>(`${url}/diff?from=1&to=2`);
      expect(diff.status).toBe(200);
      const removedKm = diff.body.bodyKm.filter((p) => p.removed).map((p) => p.value.trim());
      const addedKm = diff.body.bodyKm.filter((p) => p.added).map((p) => p.value.trim());
      expect(removedKm).toEqual(["គាំទ្រ"]);
      expect(addedKm).toEqual(["ការពារ"]);
      expect(
        diff.body.bodyKm
          .filter((p) => !p.added)
          .map((p) => p.value)
          .join(""),
      ).toBe(kmBefore);
      expect(
        diff.body.bodyKm
          .filter((p) => !p.removed)
          .map((p) => p.value)
          .join(""),
      ).toBe(kmAfter);
      expect(diff.body.bodyEn.filter((p) => p.removed).map((p) => p.value.trim())).toEqual(["support"]);
      expect(diff.body.title.every((p) => !p.added && !p.removed)).toBe(true);
      expect((await w.clients.memberA.get(`${url}/diff?from=1&to=9`)).status).toBe(404);
      expect((await w.clients.outsider.get(`${url}/diff?from=1&to=2`)).status).toBe(404);
      // Saving the same text again makes no new version.
      expect(
        (
          await w.clients.memberA.post<Statement>(`${url}/versions`, {
            title: "Diff test",
            bodyEn: "We defend free expression in Cambodia.",
            bodyKm: kmAfter,
          })
        ).body.versions,
      ).toHaveLength(2);
      // Only the author and coordinators edit.
      expectProblem(await w.clients.adminB.post(`${url}/versions`, { title: "Not mine", bodyEn: "x" }), 403);
    });

    it("comments stay attached to their version; commenting notifies earlier commenters on that version only", async () => {
      const { url, statement } = await draft(w, w.clients.memberA);
      const c1 = await w.clients.memberA.post<{ id: string }>(`${url}/versions/1/comments`, { body: "First thought on v1" });
      expect(c1.status).toBe(201);
      expect((await w.clients.adminB.post(`${url}/versions/1/comments`, { body: "Reply on v1" })).status).toBe(201);
      const v2 = await w.clients.memberA.post<Statement>(`${url}/versions`, { title: "New title", bodyEn: "New text" });
      expect(v2.status).toBe(201);
      expect((await w.clients.observer.post(`${url}/versions/2/comments`, { body: "On v2" })).status).toBe(201);
      expect((await w.clients.coordinator.post(`${url}/versions/1/comments`, { body: "Coordinator on v1" })).status).toBe(201);

      const v1Comments = await w.clients.memberA.get<{ body: string; versionId: string }[]>(`${url}/versions/1/comments`);
      expect(v1Comments.body.map((c) => c.body)).toEqual(["First thought on v1", "Reply on v1", "Coordinator on v1"]);
      expect(v1Comments.body.every((c) => c.versionId === statement.current.id)).toBe(true);
      const v2Comments = await w.clients.memberA.get<{ body: string }[]>(`${url}/versions/2/comments`);
      expect(v2Comments.body.map((c) => c.body)).toEqual(["On v2"]);

      const notified = await ctx.db
        .selectFrom("notification")
        .where("kind", "=", "statement_comment")
        .where("link", "like", `%${statement.id}%`)
        .select("person_id")
        .execute();
      const per = new Map<string, number>();
      for (const n of notified) per.set(n.person_id, (per.get(n.person_id) ?? 0) + 1);
      // memberA: by adminB's reply and the coordinator's; adminB: by the coordinator's; the observer (v2 only) and the coordinator: never.
      expect(Object.fromEntries(per)).toEqual({ [w.people.memberA.id]: 2, [w.people.adminB.id]: 1 });
      expect((await w.clients.outsider.post(`${url}/versions/1/comments`, { body: "Outsider" })).status).toBe(404);
      expect((await w.clients.anonymous.post(`${url}/versions/1/comments`, { body: "Anonymous" })).status).toBe(401);
      expect((await w.clients.memberA.post(`${url}/versions/7/comments`, { body: "No such version" })).status).toBe(404);
    });

    it("a vote can be opened on an earlier version; the voted text is that version's", async () => {
      const { url, statement } = await draft(w, w.clients.memberA, { title: "Two versions", bodyEn: "First text" });
      await w.clients.memberA.post(`${url}/versions`, { title: "Two versions", bodyEn: "Second text" });
      const vote = await open(w, url, statement.current.id);
      expect(vote.sha256).toBe(statement.current.sha256);
    });
  });
});
