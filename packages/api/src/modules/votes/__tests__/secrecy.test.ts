/**
 * Issue 7: before the close of a vote whose totals are hidden, nothing a member, observer,
 * representative or coordinator can read reveals counts or other organisations' choices.
 *
 * Two "worlds" (two statements of one coalition, same title, text and rules) differ only in how
 * organisations B and C vote (B changes its ballot in both; one world has an anonymous
 * endorsement). The readers belong to neither B nor C. Each reader reads every endpoint in both
 * worlds; after removing ids, timestamps and receipts the bodies must be byte-identical, the raw
 * sizes equal, and the server must run the same number of queries.
 */

import { Problem } from "@samakki/shared/problem";
import { Statement, TurnoutList } from "@samakki/shared/statements";
import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext, type TestResponse } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { checkPermissions, expectNothingChanged } from "../../../../test/permissions.ts";
import { worker } from "../../email/__tests__/helpers.ts";
import { devMailboxTransport } from "../../email/transports/dev-mailbox.ts";
import { sendNotificationEmails } from "../../notifications/notifications.email.ts";
import {
  cast,
  draft,
  expectProblem,
  HOUR,
  localIn,
  open,
  orgWithRepresentative,
  statementStates,
  statementsUrl,
  type World,
} from "../../statements/__tests__/helpers.ts";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z/g;
const RECEIPT = /[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}/g;
/** Ids, times and receipts differ between any two votes; everything else must not. */
/** A problem's request id: random, 22 characters of base64url (request-log.ts). */
const REQUEST_ID = /"requestId":"[\w-]+"/g;
const normalise = (text: string) =>
  text.replace(REQUEST_ID, '"requestId":"<request>"').replace(UUID, "<id>").replace(ISO, "<time>").replace(RECEIPT, "<receipt>");

type Choice = "endorse" | "object" | "abstain";
interface Ballot {
  choice: Choice;
  named?: boolean;
}
/** How the organisations the readers do not belong to vote (B casts, then changes its ballot). */
interface Others {
  bFirst: Ballot;
  bThen: Ballot;
  c: Ballot;
}

interface Built {
  url: string;
  statementId: string;
  voteId: string;
  /** Answers to the ballots of the readers' own organisations, and to a refused cast. */
  ownCasts: TestResponse[];
}

interface Reading {
  status: number;
  text: string;
  queries: number;
}

describe("a vote's secrecy before the close (totals hidden)", () => {
  let ctx: TestContext;
  let w: World;
  let c: Awaited<ReturnType<typeof orgWithRepresentative>>;
  let readers: Record<"member" | "observer" | "representative" | "coordinator", { client: TestClient; email: string; orgs: string[] }>;
  const title = "On the arrest of journalists";
  const closesAt = localIn(3 * HOUR);
  let x: Built;
  let y: Built;

  async function build(others: Others, totalsVisible = false): Promise<Built> {
    const { url, statement } = await draft(w, w.clients.memberA, { title, bodyEn: "We stand for **free expression**.", bodyKm: "" });
    const vote = await open(w, url, statement.current.id, { totalsVisible, closesAt });
    const ownCasts: TestResponse[] = [];
    ownCasts.push(await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "endorse", named: true }));
    ownCasts.push(await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "abstain" }));
    for (const b of [others.bFirst, others.bThen]) {
      const res = await cast(w.clients.adminB, url, { organisationId: w.orgB.id, ...b });
      expect(res.status, res.text).toBe(201);
    }
    // A refused cast (a plain member): its error must not depend on the others either.
    ownCasts.push(await cast(w.clients.memberA, url, { organisationId: w.orgA.id, choice: "object" }));
    const res = await cast(c.client, url, { organisationId: c.org.id, ...others.c });
    expect(res.status, res.text).toBe(201);
    // The representative of A casts the same choice again.
    ownCasts.push(await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "abstain" }));
    return { url, statementId: statement.id, voteId: vote.id, ownCasts };
  }

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    c = await orgWithRepresentative(ctx, w.coalition.id);
    readers = {
      member: { client: w.clients.memberA, email: w.people.memberA.email, orgs: [w.orgA.id] },
      observer: { client: w.clients.observer, email: w.people.observer.email, orgs: [w.observerOrg.id] },
      representative: { client: w.clients.adminA, email: w.people.adminA.email, orgs: [w.orgA.id] },
      coordinator: { client: w.clients.coordinator, email: w.people.coordinator.email, orgs: [w.secretariat.id] },
    };
    // World X: B objects, then endorses anonymously; C endorses by name (3 endorsements, 1 anonymous).
    x = await build({ bFirst: { choice: "object" }, bThen: { choice: "endorse", named: false }, c: { choice: "endorse", named: true } });
    // World Y: B endorses by name, then objects; C abstains (1 endorsement, none anonymous).
    y = await build({ bFirst: { choice: "endorse", named: true }, bThen: { choice: "object" }, c: { choice: "abstain" } });
    // Whatever notifications the votes caused go out by email, through the outbox to the dev mailbox.
    await sendNotificationEmails(ctx.db, ctx.config.publicUrl);
    const mail = worker(ctx.db, devMailboxTransport(ctx.db), { batchSize: 50 });
    while ((await mail.runOnce()).claimed > 0) {
      // until the outbox is empty
    }
  });

  async function read(client: TestClient, path: string): Promise<Reading> {
    const before = ctx.queries.count;
    const res = await client.get(path);
    return { status: res.status, text: res.text, queries: ctx.queries.count - before };
  }

  /**
   * One endpoint in both worlds. Compared: status, normalised body, raw size and the number of queries
   * the server ran. A session is touched at most once a minute (one more query), so a difference in the
   * query count alone is measured again; a real difference would persist.
   */
  async function both(client: TestClient, path: (b: Built) => string) {
    for (let attempt = 1; ; attempt++) {
      const a = await read(client, path(x));
      const b = await read(client, path(y));
      expect(b.status).toBe(a.status);
      expect(normalise(b.text)).toBe(normalise(a.text));
      expect(b.text.length).toBe(a.text.length);
      if (a.queries === b.queries || attempt >= 3) {
        expect(b.queries).toBe(a.queries);
        return a;
      }
    }
  }

  it("the statement and its vote show no counts and no other organisation's choice, identically in both worlds", async () => {
    for (const [role, reader] of Object.entries(readers)) {
      const res = await both(reader.client, (b) => b.url);
      expect(res.status, role).toBe(200);
      const vote = Statement.parse(JSON.parse(res.text)).vote;
      expect(vote?.status).toBe("open");
      expect(vote?.tally, role).toBeNull();
      expect(vote?.ballots, role).toBeNull();
      expect(vote?.receipts, role).toBeNull();
      for (const mine of vote?.myOrganisations ?? []) expect(reader.orgs, role).toContain(mine.organisation.id);
      for (const other of vote?.myOrganisationsNotVoting ?? []) expect(reader.orgs, role).toContain(other.organisation.id);
      // Who has voted is shown (by design): all four organisations.
      expect(vote?.turnout.voted).toBe(4);
    }
  });

  it("the statements list is the same in both worlds", async () => {
    for (const reader of Object.values(readers)) {
      const list = await reader.client.get<{ items: { id: string }[] }>(`${statementsUrl(w)}?limit=100`);
      const item = (id: string) => normalise(JSON.stringify(list.body.items.find((i) => i.id === id)));
      expect(item(y.statementId)).toBe(item(x.statementId));
    }
  });

  it("who has voted, by name, says nothing of how, identically in both worlds; only coordinators read it", async () => {
    const res = await both(readers.coordinator.client, (b) => `${b.url}/vote/turnout`);
    expect(res.status).toBe(200);
    const turnout = TurnoutList.parse(JSON.parse(res.text));
    expect(turnout.voted).toBe(4);
    expect(turnout.organisations.filter((o) => o.hasVoted)).toHaveLength(4);
    expect(res.text).not.toMatch(/choice|endorse|object|abstain|named|anonymous/);
    // Members see the counts alone: set beside the named endorsements after the close, the names of
    // those who voted would tell who endorsed anonymously.
    for (const role of ["member", "observer", "representative"] as const) {
      const refused = await both(readers[role].client, (b) => `${b.url}/vote/turnout`);
      expect(refused.status, role).toBe(403);
      expect(refused.text, role).not.toContain(w.orgB.name);
    }
  });

  it("verify refuses an open vote with 409 vote_not_closed, translated, identically in both worlds", async () => {
    for (const [role, reader] of Object.entries(readers)) {
      const res = await both(reader.client, (b) => `${b.url}/vote/verify`);
      expect(res.status, role).toBe(409);
      const problem = Problem.parse(JSON.parse(res.text));
      expect(problem.code).toBe("vote_not_closed");
      expect(problem.title).toBe("The vote is still open");
      expect(res.text).not.toMatch(/tally|recomputed|endorse|object|abstain/);
    }
    const inKhmer = await readers.member.client.get<{ title: string }>(`${x.url}/vote/verify`, { "x-samakki-language": "km" });
    expect(inKhmer.body.title).toBe("ការបោះឆ្នោតនៅតែបើក");
  });

  it("ballot answers and errors of the readers' own organisations do not depend on the others", () => {
    expect(x.ownCasts.map((r) => r.status)).toEqual([201, 201, 403, 201]);
    expect(y.ownCasts.map((r) => normalise(r.text))).toEqual(x.ownCasts.map((r) => normalise(r.text)));
    expect(y.ownCasts.map((r) => r.text.length)).toEqual(x.ownCasts.map((r) => r.text.length));
  });

  it("the audit log records ballots without choices or counts, identically in both worlds; only coordinators read it", async () => {
    const auditUrl = `/api/coalitions/${w.coalition.id}/audit?limit=100`;
    for (const [role, reader] of Object.entries(readers)) {
      const res = await reader.client.get<{ items: { id: string; action: string; targetId: string | null; after: unknown }[] }>(auditUrl);
      if (role !== "coordinator") {
        expectProblem(res, 403, "forbidden");
        continue;
      }
      expect(res.status).toBe(200);
      const events = (b: Built) =>
        res.body.items
          .filter((e) => e.targetId === b.voteId || e.targetId === b.statementId)
          .map(({ id: _id, ...e }) => normalise(JSON.stringify(e)))
          .reverse();
      expect(events(x).length).toBeGreaterThanOrEqual(6);
      expect(events(y)).toEqual(events(x));
      for (const e of events(x).filter((e) => e.includes('"ballot.'))) expect(e).not.toMatch(/choice|tally|endorse|object|abstain|named/);
    }
  });

  it("notifications and emails are identical in both worlds and carry no choice or count", async () => {
    for (const [role, reader] of Object.entries(readers)) {
      const list = await reader.client.get<{ items: { id: string; link: string | null }[] }>("/api/notifications?limit=100");
      expect(list.status).toBe(200);
      const notes = (b: Built) =>
        list.body.items.filter((n) => n.link?.includes(b.statementId)).map(({ id: _id, ...n }) => normalise(JSON.stringify(n)));
      expect(notes(y), role).toEqual(notes(x));
      const mailbox = await ctx
        .anonymous()
        .get<{ items: { subject: string; text: string; html: string }[] }>(`/api/dev/mailbox?to=${encodeURIComponent(reader.email)}`);
      expect(mailbox.status).toBe(200);
      const mails = (b: Built) =>
        mailbox.body.items.filter((m) => m.text.includes(b.statementId)).map((m) => normalise(`${m.subject}\n${m.text}\n${m.html}`));
      expect(mails(y), role).toEqual(mails(x));
      for (const m of mails(x)) expect(m, role).not.toMatch(/endorse|object|abstain|anonymous/i);
    }
    // The representatives and the coordinator were told of the opening, and nothing else happened by email.
    const rep = await ctx
      .anonymous()
      .get<{ items: { text: string }[] }>(`/api/dev/mailbox?to=${encodeURIComponent(readers.representative.email)}`);
    expect(rep.body.items.filter((m) => m.text.includes(x.statementId))).toHaveLength(1);
  });

  it("verify answers once the vote is closed, and only then (also when running totals are shown)", async () => {
    const shown = await build({ bFirst: { choice: "object" }, bThen: { choice: "endorse", named: false }, c: { choice: "object" } }, true);
    const running = await w.clients.memberA.get<Statement>(shown.url);
    expect(running.body.vote?.tally).toMatchObject({ cast: 4, endorse: 2, object: 1, abstain: 1, anonymous: 1 });
    expectProblem(await w.clients.memberA.get(`${shown.url}/vote/verify`), 409, "vote_not_closed");

    expect((await w.clients.coordinator.post(`${x.url}/vote/close`)).status).toBe(200);
    for (const [role, reader] of Object.entries(readers)) {
      const res = await reader.client.get<{ matches: boolean; recomputed: { outcome: string; tally: Record<string, number> } }>(
        `${x.url}/vote/verify`,
      );
      expect(res.status, role).toBe(200);
      expect(res.body.matches).toBe(true);
      expect(res.body.recomputed.outcome).toBe("adopted");
      expect(res.body.recomputed.tally).toMatchObject({ eligible: 4, cast: 4, endorse: 3, abstain: 1, named: 2, anonymous: 1 });
    }
    const closed = await w.clients.memberA.get<Statement>(x.url);
    expect(closed.body.vote?.tally).toMatchObject({ endorse: 3, anonymous: 1 });
    // The named endorsements alone: not B, which endorsed anonymously, nor A, which abstained (named,
    // A would leave B the one voter unaccounted for). Both are counted.
    expect(closed.body.vote?.ballots?.map((b) => b.organisation.id).sort()).toEqual([w.secretariat.id, c.org.id].sort());
    expect(closed.body.vote?.ballots?.every((b) => b.choice === "endorse" && b.named)).toBe(true);
    expect(closed.body.vote?.tally).toMatchObject({ abstain: 1, anonymous: 1 });
    expect(closed.text).not.toContain(w.orgB.name);
    // Nor who voted, after the close either.
    expectProblem(await w.clients.memberA.get(`${x.url}/vote/turnout`), 403, "forbidden");
  });

  it("the coordinator's export holds no ballot of an open vote; after the close only the counted, named endorsements", async () => {
    const exportBallots = async () => {
      const res = await ctx.app.request(`/api/coalitions/${w.coalition.id}/export.zip`, {
        headers: { cookie: w.clients.coordinator.cookie ?? "" },
      });
      expect(res.status).toBe(200);
      const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
      const ballots = JSON.parse(strFromU8(files["json/ballot.json"] ?? new Uint8Array())) as {
        vote_id: string;
        organisation_id: string;
      }[];
      const votes = JSON.parse(strFromU8(files["json/vote.json"] ?? new Uint8Array())) as { id: string; tally: unknown }[];
      return { ballots, votes, csv: strFromU8(files["csv/ballot.csv"] ?? new Uint8Array()) };
    };
    // Z: B objects, then endorses anonymously; C endorses by name. Open, its totals hidden.
    const z = await build({
      bFirst: { choice: "object" },
      bThen: { choice: "endorse", named: false },
      c: { choice: "endorse", named: true },
    });
    const during = await exportBallots();
    // Not one of its six ballots, nor a tally.
    expect(during.ballots.filter((b) => b.vote_id === z.voteId)).toEqual([]);
    expect(during.csv).not.toContain(z.voteId);
    expect(during.votes.find((v) => v.id === z.voteId)?.tally).toBeNull();

    expect((await w.clients.coordinator.post(`${z.url}/vote/close`)).status).toBe(200);
    const after = await exportBallots();
    // The named endorsements, the secretariat's and C's; not B (anonymous, and its replaced objection),
    // nor A's abstention (counted, never named).
    const ofZ = after.ballots.filter((b) => b.vote_id === z.voteId);
    expect(ofZ.map((b) => b.organisation_id).sort()).toEqual([w.secretariat.id, c.org.id].sort());
    expect(after.votes.find((v) => v.id === z.voteId)?.tally).toMatchObject({ cast: 4, anonymous: 1 });
  });

  it("verify: anonymous 401; another coalition, a suspended organisation and a statement without a vote 404; nothing changes", async () => {
    const state = () => statementStates(ctx);
    const before = await state();
    await checkPermissions(
      ctx,
      w.clients,
      { method: "GET", path: `${y.url}/vote/verify`, state },
      { anonymous: 401, outsider: 404, suspended: 404 },
    );
    const { url } = await draft(w, w.clients.memberA);
    const afterDraft = await state();
    expectProblem(await expectNothingChanged(ctx, () => w.clients.memberA.get(`${url}/vote/verify`), { state }), 404, "not_found");
    expect(before.votes).toBe(afterDraft.votes);
  });
});
