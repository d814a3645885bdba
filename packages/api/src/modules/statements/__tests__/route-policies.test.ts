import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext, type TestResponse } from "../../../../test/app.ts";
import { addMember, createPerson, createWorld, signInAs } from "../../../../test/factories/index.ts";
import { expectNothingChanged } from "../../../../test/permissions.ts";
import { cast, draft, draftAndOpen, expectProblem, HOUR, localIn, statementStates, type World } from "./helpers.ts";

/*
 * The declared policy of every statement and vote route (its OpenAPI `x-policy`) against who can
 * actually succeed: a `coordinator` route succeeds for the coordinator and answers a member the
 * policy's 403 (before any re-authentication prompt, and changing nothing); a `coalitionMember`
 * route succeeds for someone who is not a coordinator. A route missing from CASES fails the test.
 */

type Operation = { "x-policy"?: string; "x-recent-auth"?: boolean };
const PREFIX = "/api/coalitions/{coalitionId}/statements";

interface Case {
  /** Prepares a fresh state and returns the request to send, as any client. */
  setup: (w: World) => Promise<(client: TestClient) => Promise<TestResponse>>;
  /** The status of a success. */
  ok: number;
  /** Who, not a coordinator, succeeds when the route is open to members (default: a plain member). */
  member?: (w: World) => TestClient;
}

/** A statement whose vote closed with everyone endorsing: adopted. */
async function adopted(w: World) {
  const opened = await draftAndOpen(w);
  for (const [client, organisationId] of [
    [w.clients.coordinator, w.secretariat.id],
    [w.clients.adminA, w.orgA.id],
    [w.clients.adminB, w.orgB.id],
  ] as const)
    expect((await cast(client, opened.url, { organisationId, choice: "endorse" })).status).toBe(201);
  expect((await w.clients.coordinator.post(`${opened.url}/vote/close`)).status).toBe(200);
  return opened;
}

const CASES: Record<string, Case> = {
  [`GET ${PREFIX}`]: { ok: 200, setup: async (w) => (c) => c.get(`/api/coalitions/${w.coalition.id}/statements`) },
  [`POST ${PREFIX}`]: {
    ok: 201,
    setup: async (w) => (c) =>
      c.post(`/api/coalitions/${w.coalition.id}/statements`, { title: "A statement", bodyEn: "We stand together.", bodyKm: "យើងរួមគ្នា។" }),
  },
  [`GET ${PREFIX}/{statementId}`]: {
    ok: 200,
    setup: async (w) =>
      (
        (url) => (c) =>
          c.get(url)
      )((await draft(w, w.clients.memberA)).url),
  },
  [`POST ${PREFIX}/{statementId}/versions`]: {
    ok: 201,
    // The author saves (a rule of the service, not of the policy).
    setup: async (w) => {
      const { url } = await draft(w, w.clients.memberA);
      return (c) => c.post(`${url}/versions`, { title: "A second version", bodyEn: "We stand together, still.", bodyKm: "យើងនៅតែរួមគ្នា។" });
    },
  },
  [`GET ${PREFIX}/{statementId}/versions/{number}`]: {
    ok: 200,
    setup: async (w) =>
      (
        (url) => (c) =>
          c.get(`${url}/versions/1`)
      )((await draft(w, w.clients.memberA)).url),
  },
  [`GET ${PREFIX}/{statementId}/diff`]: {
    ok: 200,
    setup: async (w) =>
      (
        (url) => (c) =>
          c.get(`${url}/diff?from=1&to=1`)
      )((await draft(w, w.clients.memberA)).url),
  },
  [`GET ${PREFIX}/{statementId}/versions/{number}/comments`]: {
    ok: 200,
    setup: async (w) =>
      (
        (url) => (c) =>
          c.get(`${url}/versions/1/comments`)
      )((await draft(w, w.clients.memberA)).url),
  },
  [`POST ${PREFIX}/{statementId}/versions/{number}/comments`]: {
    ok: 201,
    setup: async (w) =>
      (
        (url) => (c) =>
          c.post(`${url}/versions/1/comments`, { body: "A comment" })
      )((await draft(w, w.clients.memberA)).url),
  },
  [`POST ${PREFIX}/{statementId}/withdraw`]: {
    ok: 204,
    setup: async (w) =>
      (
        (url) => (c) =>
          c.post(`${url}/withdraw`)
      )((await draft(w, w.clients.memberA)).url),
  },
  [`POST ${PREFIX}/{statementId}/publish`]: {
    ok: 204,
    setup: async (w) =>
      (
        (url) => (c) =>
          c.post(`${url}/publish`)
      )((await adopted(w)).url),
  },
  [`POST ${PREFIX}/{statementId}/vote`]: {
    ok: 201,
    setup: async (w) => {
      const { url, statement } = await draft(w, w.clients.memberA);
      return (c) =>
        c.post(`${url}/vote`, { versionId: statement.current.id, quorum: 0.5, threshold: "majority", closesAt: localIn(2 * HOUR) });
    },
  },
  [`POST ${PREFIX}/{statementId}/vote/cancel`]: {
    ok: 204,
    setup: async (w) =>
      (
        (url) => (c) =>
          c.post(`${url}/vote/cancel`)
      )((await draftAndOpen(w)).url),
  },
  [`POST ${PREFIX}/{statementId}/vote/close`]: {
    ok: 200,
    setup: async (w) => {
      const opened = await draftAndOpen(w);
      for (const [client, organisationId] of [
        [w.clients.coordinator, w.secretariat.id],
        [w.clients.adminA, w.orgA.id],
        [w.clients.adminB, w.orgB.id],
      ] as const)
        expect((await cast(client, opened.url, { organisationId, choice: "endorse" })).status).toBe(201);
      return (c) => c.post(`${opened.url}/vote/close`);
    },
  },
  [`POST ${PREFIX}/{statementId}/vote/ballots`]: {
    ok: 201,
    // A representative of an eligible organisation, not a coordinator.
    member: (w) => w.clients.adminA,
    setup: async (w) =>
      (
        (url) => (c) =>
          cast(c, url, { organisationId: w.orgA.id, choice: "endorse" })
      )((await draftAndOpen(w)).url),
  },
  [`GET ${PREFIX}/{statementId}/vote/turnout`]: {
    ok: 200,
    setup: async (w) =>
      (
        (url) => (c) =>
          c.get(`${url}/vote/turnout`)
      )((await draftAndOpen(w)).url),
  },
  [`GET ${PREFIX}/{statementId}/vote/verify`]: {
    ok: 200,
    setup: async (w) =>
      (
        (url) => (c) =>
          c.get(`${url}/vote/verify`)
      )((await adopted(w)).url),
  },
};

describe("statement and vote routes: the declared policy is who can succeed", () => {
  let ctx: TestContext;
  let w: World;
  /** A plain member whose authentication is 20 minutes old: a coordinator-only route refuses them for their role first. */
  let staleMember: TestClient;
  let operations: [string, Operation][];

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    const person = await createPerson(ctx);
    await addMember(ctx, w.orgA.id, person.id, "member");
    staleMember = await signInAs(ctx, person);
    await sql`UPDATE session SET recent_auth_at = now() - interval '20 minutes' WHERE person_id = ${person.id}`.execute(ctx.db);
    const doc = await ctx.anonymous().get<{ paths: Record<string, Record<string, Operation>> }>("/api/openapi.json");
    operations = Object.entries(doc.body.paths)
      .filter(([path]) => path.startsWith(PREFIX))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]));
  });

  it("every statement and vote route has a case, and the cases name no route that is gone", () => {
    expect(operations.map(([route]) => route).sort()).toEqual(Object.keys(CASES).sort());
  });

  it("coordinator routes succeed for the coordinator and refuse a member with the policy's 403; member routes succeed for a non-coordinator", async () => {
    const declared: Record<string, string> = {};
    for (const [route, op] of operations) {
      const policy = op["x-policy"] ?? "";
      declared[route] = policy;
      const c = CASES[route];
      if (!c) throw new Error(`no case for ${route}`);
      if (policy === "coordinator") {
        const send = await c.setup(w);
        for (const [who, client] of [
          ["member", w.clients.memberA],
          ["member with an old authentication", staleMember],
          ["organisation admin", w.clients.adminA],
        ] as const) {
          const res = await expectNothingChanged(ctx, () => send(client), {
            label: `${route} as ${who}`,
            state: () => statementStates(ctx),
          });
          expect(res.status, `${route} as ${who}: ${res.text}`).toBe(403);
          expectProblem(res, 403, "forbidden");
        }
        const res = await send(w.clients.coordinator);
        expect(res.status, `${route} as coordinator: ${res.text}`).toBe(c.ok);
      } else if (policy === "coalitionMember") {
        const send = await c.setup(w);
        const res = await send(c.member?.(w) ?? w.clients.memberA);
        expect(res.status, `${route} as a member: ${res.text}`).toBe(c.ok);
      } else {
        throw new Error(`${route}: unexpected policy ${policy}`);
      }
    }
    // What the document declares, so a change of policy is a visible change of this test.
    expect(declared).toEqual(
      Object.fromEntries(
        Object.keys(CASES).map((route) => [
          route,
          (/\/(withdraw|publish|vote|vote\/cancel|vote\/close)$/.test(route) && route.startsWith("POST")) ||
          // Who has voted, by name: members see the counts only (docs/security.md §10).
          route.endsWith("/vote/turnout")
            ? "coordinator"
            : "coalitionMember",
        ]),
      ),
    );
  });
});
