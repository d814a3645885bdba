import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { localIn } from "../src/modules/statements/__tests__/helpers.ts";
import { buildTestApp, type TestClient, type TestContext, type TestResponse } from "./app.ts";
import {
  addMember,
  createCoalition,
  createOrganisation,
  createPerson,
  createWorld,
  DEFAULT_PASSWORD,
  makeCoordinator,
  signInAs,
  unique,
} from "./factories/index.ts";

/**
 * Tenant isolation, generated from the route registry (the OpenAPI document every route is
 * declared in). Coalition A holds one object of every kind; each role of coalition B asks for
 * A's objects through B's *own* coalition (or organisation) path, where B's roles pass the
 * policy so only the service's coalition filter stands in the way, and through A's path, where
 * the policy refuses them. Every answer must be 404 (except a policy's 403 for a role the route
 * refuses inside B), and no table of the schema may change: every table is found through
 * pg_catalog, so a new table is covered without touching this file. A new route with a request
 * body needs an entry in BODIES, or the test fails and says so.
 */

type Operation = {
  "x-policy"?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
};
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

const ROLES = ["coordinator", "admin", "member", "representative", "observer"] as const;
type Role = (typeof ROLES)[number];

/** Ids a body may carry: A's objects, or the requester's own (so the only foreign id is in the path). */
interface BodyIds {
  organisationId: string;
  personId: string;
  campaignId: string;
  versionId: string;
  targetId: string;
}

/**
 * A minimal valid body per route with a request body, so the request passes validation and
 * reaches the service (a 400 proves nothing about isolation). `ids` are A's ids when the path
 * names no object of A (then the body is what reaches into A), else the requester's own.
 */
const BODIES: Record<string, (ids: BodyIds) => unknown> = {
  "PATCH /api/me/passkeys/{passkeyId}": () => ({ name: "Renamed key" }),
  "DELETE /api/me/passkeys/{passkeyId}": () => ({ password: DEFAULT_PASSWORD }),
  "PATCH /api/coalitions/{coalitionId}": () => ({ name: unique("Renamed") }),
  "POST /api/coalitions/{coalitionId}/members": () => ({ organisationName: unique("Org"), contactEmail: `${unique("x")}@example.org` }),
  "PATCH /api/coalitions/{coalitionId}/members/{organisationId}": () => ({ status: "suspended" }),
  "POST /api/coalitions/{coalitionId}/coordinators": (ids) => ({ personId: ids.personId }),
  "PATCH /api/organisations/{organisationId}": () => ({ name: unique("Renamed") }),
  "PATCH /api/organisations/{organisationId}/people/{personId}": () => ({ role: "admin" }),
  "POST /api/organisations/{organisationId}/invitations": () => ({ email: `${unique("x")}@example.org`, role: "member" }),
  "POST /api/coalitions/{coalitionId}/campaigns": (ids) => ({ title: unique("Campaign"), ownerOrganisationIds: [ids.organisationId] }),
  "PATCH /api/coalitions/{coalitionId}/campaigns/{campaignId}": () => ({ title: unique("Renamed") }),
  "PUT /api/coalitions/{coalitionId}/campaigns/{campaignId}/owners": (ids) => ({ organisationIds: [ids.organisationId] }),
  "PUT /api/coalitions/{coalitionId}/campaigns/{campaignId}/participants": (ids) => ({ organisationIds: [ids.organisationId] }),
  "POST /api/coalitions/{coalitionId}/campaigns/{campaignId}/activities": () => ({
    kind: "meeting",
    title: unique("Activity"),
    startsAt: "2030-01-01T10:00",
  }),
  "PUT /api/coalitions/{coalitionId}/campaigns/{campaignId}/activities/{activityId}": () => ({
    kind: "meeting",
    title: unique("Activity"),
    startsAt: "2030-01-01T10:00",
  }),
  "POST /api/coalitions/{coalitionId}/campaigns/{campaignId}/metrics": () => ({ name: unique("Metric") }),
  "PATCH /api/coalitions/{coalitionId}/campaigns/{campaignId}/metrics/{metricId}": () => ({ name: unique("Renamed metric") }),
  "POST /api/coalitions/{coalitionId}/campaigns/{campaignId}/metrics/{metricId}/contributions": (ids) => ({
    organisationId: ids.organisationId,
    amount: 1,
    date: "2026-01-01",
  }),
  "PATCH /api/coalitions/{coalitionId}/campaigns/{campaignId}/metrics/{metricId}/contributions/{contributionId}": () => ({ amount: 2 }),
  "POST /api/coalitions/{coalitionId}/campaigns/{campaignId}/updates": () => ({ body: "An update" }),
  "POST /api/coalitions/{coalitionId}/tasks": (ids) => ({
    title: unique("Task"),
    campaignId: ids.campaignId,
    assigneeOrganisationId: ids.organisationId,
  }),
  "PATCH /api/coalitions/{coalitionId}/tasks/{taskId}": () => ({ title: unique("Renamed") }),
  "POST /api/coalitions/{coalitionId}/tasks/{taskId}/assign": (ids) => ({ organisationId: ids.organisationId }),
  "POST /api/coalitions/{coalitionId}/tasks/{taskId}/delegate": (ids) => ({ personId: ids.personId }),
  "POST /api/coalitions/{coalitionId}/tasks/{taskId}/status": () => ({ status: "done" }),
  "POST /api/coalitions/{coalitionId}/tasks/{taskId}/comments": () => ({ body: "A comment" }),
  "POST /api/coalitions/{coalitionId}/statements": (ids) => ({ title: unique("Statement"), bodyEn: "Text", campaignId: ids.campaignId }),
  "POST /api/coalitions/{coalitionId}/statements/{statementId}/versions": () => ({ title: unique("Statement"), bodyEn: "New text" }),
  "POST /api/coalitions/{coalitionId}/statements/{statementId}/versions/{number}/comments": () => ({ body: "A comment" }),
  "POST /api/coalitions/{coalitionId}/statements/{statementId}/vote": (ids) => ({
    versionId: ids.versionId,
    closesAt: localIn(3 * 3600_000),
  }),
  "POST /api/coalitions/{coalitionId}/statements/{statementId}/vote/ballots": (ids) => ({
    organisationId: ids.organisationId,
    choice: "object",
  }),
  "POST /api/coalitions/{coalitionId}/campaigns/{campaignId}/petition": () => ({
    titleKm: "ញត្តិ",
    titleEn: "Petition",
    bodyKm: "",
    bodyEn: "",
    target: 10,
    opensOn: "2020-01-01",
    closesOn: "2099-12-31",
  }),
  "PATCH /api/coalitions/{coalitionId}/campaigns/{campaignId}/petition": () => ({ target: 200 }),
  "POST /api/coalitions/{coalitionId}/campaigns/{campaignId}/petition/close": () => ({ deleteAfterDays: null }),
  "POST /api/coalitions/{coalitionId}/campaigns/{campaignId}/petition/paper-sheets": (ids) => ({
    organisationId: ids.organisationId,
    count: 1,
    province: "KH-1",
    date: "2026-01-01",
  }),
  "PATCH /api/coalitions/{coalitionId}/campaigns/{campaignId}/petition/paper-sheets/{sheetId}": () => ({ count: 2 }),
  "POST /api/coalitions/{coalitionId}/letter-targets": () => ({ nameEn: unique("MP") }),
  "POST /api/coalitions/{coalitionId}/letter-targets/import/preview": () => ({ csv: "name_en,party\nSomeone,Party" }),
  "POST /api/coalitions/{coalitionId}/letter-targets/import": () => ({ csv: "name_en,party\nSomeone,Party" }),
  "PATCH /api/coalitions/{coalitionId}/letter-targets/{targetId}": () => ({ party: "Renamed" }),
  "POST /api/coalitions/{coalitionId}/campaigns/{campaignId}/letter-actions": (ids) => ({
    title: unique("Letter"),
    targetIds: [ids.targetId],
  }),
  "PATCH /api/coalitions/{coalitionId}/campaigns/{campaignId}/letter-actions/{actionId}": () => ({ title: unique("Renamed") }),
  "POST /api/coalitions/{coalitionId}/campaigns/{campaignId}/letter-actions/{actionId}/letters": (ids) => ({
    targetId: ids.targetId,
    organisationId: ids.organisationId,
    sentOn: "2026-01-01",
    channel: "post",
  }),
  "PATCH /api/coalitions/{coalitionId}/campaigns/{campaignId}/letter-actions/{actionId}/letters/{letterId}": () => ({
    deliveryConfirmed: true,
  }),
  "PUT /api/coalitions/{coalitionId}/campaigns/{campaignId}/letter-actions/{actionId}/letters/{letterId}/reply": () => ({
    receivedOn: "2026-01-02",
    summary: "A reply",
    stance: "supportive",
  }),
};

/** Query strings a route needs to reach its service. */
const QUERIES: Record<string, string> = {
  "GET /api/coalitions/{coalitionId}/statements/{statementId}/diff": "from=1&to=2",
};

/** Reads that are audited by design (an export): they may append to the audit chain, and run last so B's audit log is read before. */
const AUDITED_READS = new Set([
  "GET /api/coalitions/{coalitionId}/tasks.csv",
  "GET /api/coalitions/{coalitionId}/campaigns/{campaignId}/petition/signers.csv",
  "GET /api/coalitions/{coalitionId}/export.zip",
]);
const AUDIT_TABLES = new Set(["audit_event", "audit_chain_head"]);

/** Query parameters that name objects: B's list routes are asked about A's objects too. */
const QUERY_IDS: Record<string, keyof BodyIds> = {
  organisationId: "organisationId",
  personId: "personId",
  campaignId: "campaignId",
  targetId: "targetId",
};

/** Row count and content hash of every table in the schema, found through pg_catalog. */
async function fingerprint(ctx: TestContext, tables: string[]): Promise<Record<string, string>> {
  const parts = tables.map((t) => {
    const id = sql.id(t);
    // A session's last use changes on every request: its rows are counted, not hashed.
    const hash = t === "session" ? sql`''` : sql`md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))`;
    return sql`SELECT ${t}::text AS t, count(*)::text || ':' || ${hash} AS v FROM ${id} AS x`;
  });
  const rows = await sql<{ t: string; v: string }>`${sql.join(parts, sql` UNION ALL `)}`.execute(ctx.db);
  return Object.fromEntries(rows.rows.map((r) => [r.t, r.v]));
}

async function schemaTables(ctx: TestContext): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname`.execute(ctx.db);
  return rows.rows.map((r) => r.name);
}

type Variant = "A's path" | "B's path" | "B's list" | "B's path, A's ids in body" | "A's object";

interface Case {
  /** `METHOD /path/{template}` as in the OpenAPI document. */
  route: string;
  variant: Variant;
  role: Role;
  client: TestClient;
  method: Method;
  path: string;
  body: unknown;
  /** The policy refuses this role inside B (coordinator-only or admin-only route): 403 expected. */
  policyRefuses: boolean;
}

const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

describe("coalition isolation, generated from the route registry", () => {
  let ctx: TestContext;
  let doc: OpenApiDocument;
  let tables: string[];
  /** A's ids by path parameter name (coalition routes and organisation routes differ on invitationId and personId). */
  let aCoalitionParams: Record<string, string>;
  let aOrganisationParams: Record<string, string>;
  let aPersonalParams: Record<string, string>;
  let aBodyIds: BodyIds;
  let aIds: Set<string>;
  let b: {
    coalitionId: string;
    roles: Record<Role, { client: TestClient; personId: string; organisationId: string; orgAdmin: boolean; coordinator: boolean }>;
  };

  beforeAll(async () => {
    ctx = await buildTestApp();
    doc = (await ctx.anonymous().get<OpenApiDocument>("/api/openapi.json")).body;
    tables = await schemaTables(ctx);

    // Coalition A, with one object of every kind, made through the API by its own people.
    const w = await createWorld(ctx);
    const base = `/api/coalitions/${w.coalition.id}`;
    const ok = async <T>(res: Promise<TestResponse<T>>, status = 201): Promise<T> => {
      const r = await res;
      expect(r.status, r.text).toBe(status);
      return r.body;
    };
    const { coordinator, adminA, memberA } = w.clients;
    const campaign = await ok<{ id: string }>(
      coordinator.post(`${base}/campaigns`, {
        title: unique("Campaign A"),
        ownerOrganisationIds: [w.orgA.id],
        participantOrganisationIds: [w.orgB.id],
        // Public, so the public can sign its petition and sign up for its march.
        visibility: "public",
        status: "active",
      }),
    );
    const cBase = `${base}/campaigns/${campaign.id}`;
    const activity = await ok<{ id: string }>(
      coordinator.post(`${cBase}/activities`, {
        kind: "march",
        title: unique("March"),
        startsAt: "2030-01-01T08:00",
        stages: [{ date: "2030-01-01", from: "Phnom Penh", to: "Kandal", distanceKm: 12.5 }],
      }),
    );
    const metric = await ok<{ id: string }>(coordinator.post(`${cBase}/metrics`, { name: unique("Signatures"), target: 100 }));
    const contribution = await ok<{ id: string }>(
      adminA.post(`${cBase}/metrics/${metric.id}/contributions`, { organisationId: w.orgA.id, amount: 5, date: "2026-01-01" }),
    );
    const update = await ok<{ id: string }>(coordinator.post(`${cBase}/updates`, { body: "Update of A" }));
    const task = await ok<{ id: string }>(
      coordinator.post(`${base}/tasks`, { title: unique("Task A"), campaignId: campaign.id, assigneeOrganisationId: w.orgA.id }),
    );
    await ok(adminA.post(`${base}/tasks/${task.id}/comments`, { body: "Comment of A" }));
    const statement = await ok<{ id: string; current: { id: string } }>(
      memberA.post(`${base}/statements`, { title: unique("Statement A"), bodyEn: "Text of A", campaignId: campaign.id }),
    );
    const sBase = `${base}/statements/${statement.id}`;
    const version = await ok<{ current: { id: string; number: number } }>(
      memberA.post(`${sBase}/versions`, { title: unique("Statement A"), bodyEn: "Text of A, v2" }),
    );
    await ok(memberA.post(`${sBase}/versions/${version.current.number}/comments`, { body: "Version comment of A" }));
    const opened = await ok<{ vote: { id: string } }>(
      coordinator.post(`${sBase}/vote`, { versionId: version.current.id, closesAt: localIn(2 * 3600_000) }),
    );
    const ballot = await ok<{ receipt: string }>(adminA.post(`${sBase}/vote/ballots`, { organisationId: w.orgA.id, choice: "endorse" }));
    const invited = await ok<{ organisationId: string; invitationId: string }>(
      coordinator.post(`${base}/members`, { organisationName: unique("Invited"), contactEmail: `${unique("inv")}@example.org` }),
    );
    const personInvitation = await ok<{ id: string }>(
      adminA.post(`/api/organisations/${w.orgA.id}/invitations`, { email: `${unique("p")}@example.org`, role: "member" }),
    );
    const notification = await ctx.db
      .selectFrom("notification")
      .where("person_id", "in", [w.people.adminA.id, w.people.memberA.id, w.people.coordinator.id])
      .select("id")
      .executeTakeFirstOrThrow();
    const session = await ctx.db
      .selectFrom("session")
      .where("person_id", "=", w.people.adminA.id)
      .select("public_id")
      .executeTakeFirstOrThrow();
    // A petition, a paper sheet and a signature made by the public through the form (no proof-of-work: one is below the limit).
    await ok(
      coordinator.post(`${cBase}/petition`, {
        titleKm: "ញត្តិរបស់ក",
        titleEn: "Petition of A",
        bodyKm: "",
        bodyEn: "",
        target: 100,
        opensOn: "2020-01-01",
        closesOn: "2099-12-31",
      }),
    );
    const sheet = await ok<{ id: string }>(
      adminA.post(`${cBase}/petition/paper-sheets`, { organisationId: w.orgA.id, count: 7, province: "KH-12", date: "2026-01-01" }),
    );
    const slugs = await ctx.db
      .selectFrom("campaign")
      .innerJoin("coalition", "coalition.id", "campaign.coalition_id")
      .where("campaign.id", "=", campaign.id)
      .select(["coalition.slug as coalitionSlug", "campaign.slug as campaignSlug"])
      .executeTakeFirstOrThrow();
    const publicBase = `/coalitions/${slugs.coalitionSlug}/campaigns/${slugs.campaignSlug}`;
    const publicForm = (path: string, fields: Record<string, string>) =>
      ctx.anonymous().request("POST", path, new URLSearchParams(fields).toString(), {
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-for": "192.0.2.77",
      });
    const signed = await publicForm(`${publicBase}/petition`, {
      name: "Signer of A",
      email: `${unique("signer").toLowerCase()}@example.org`,
      province: "KH-12",
    });
    expect(signed.status, signed.text).toBe(303);
    const signature = await ctx.db.selectFrom("petition_signature").select("id").executeTakeFirstOrThrow();
    // A sign-up by phone for the march's first stage, pending until an organiser confirms it.
    const joined = await publicForm(`${publicBase}/join`, { name: "Walker of A", phone: "012 999 888", choices: `${activity.id}:1` });
    expect(joined.status, joined.text).toBe(303);
    const signup = await ctx.db.selectFrom("signup").where("activity_id", "=", activity.id).select("id").executeTakeFirstOrThrow();
    // Letters: a target, a letter action, a letter sent by orgA and its reply.
    const target = await ok<{ id: string }>(
      coordinator.post(`${base}/letter-targets`, { nameEn: unique("MP of A"), party: "Party A", province: "KH-12" }),
    );
    const action = await ok<{ id: string }>(
      coordinator.post(`${cBase}/letter-actions`, { title: unique("Letter of A"), bodyEn: "Dear {name}", targetIds: [target.id] }),
    );
    const letter = await ok<{ id: string }>(
      adminA.post(`${cBase}/letter-actions/${action.id}/letters`, {
        targetId: target.id,
        organisationId: w.orgA.id,
        sentOn: "2026-01-01",
        channel: "hand",
      }),
    );
    await ok(
      adminA.request("PUT", `${cBase}/letter-actions/${action.id}/letters/${letter.id}/reply`, {
        receivedOn: "2026-01-05",
        summary: "Reply to A",
        stance: "undecided",
      }),
      200,
    );
    const stageCount = await ctx.db.selectFrom("march_stage").where("activity_id", "=", activity.id).select("position").execute();
    expect(stageCount.length).toBe(1);

    aCoalitionParams = {
      coalitionId: w.coalition.id,
      organisationId: w.orgA.id,
      invitationId: invited.invitationId,
      personId: w.people.coordinator.id,
      campaignId: campaign.id,
      activityId: activity.id,
      metricId: metric.id,
      contributionId: contribution.id,
      updateId: update.id,
      taskId: task.id,
      statementId: statement.id,
      number: String(version.current.number),
      sheetId: sheet.id,
      signupId: signup.id,
      targetId: target.id,
      actionId: action.id,
      letterId: letter.id,
    };
    aOrganisationParams = { organisationId: w.orgA.id, personId: w.people.memberA.id, invitationId: personInvitation.id };
    aPersonalParams = { notificationId: notification.id, sessionId: session.public_id };
    if (tables.includes("passkey")) {
      // No authenticator in tests: a credential row is enough for an id that belongs to A's admin.
      const passkey = await sql<{ id: string }>`
        INSERT INTO passkey (person_id, credential_id, public_key, counter, device_type, name)
        VALUES (${w.people.adminA.id}, ${unique("cred")}, 'AQID', 0, 'singleDevice', 'Key of A') RETURNING id`.execute(ctx.db);
      aPersonalParams.passkeyId = passkey.rows[0]?.id ?? "";
    }
    aBodyIds = {
      organisationId: w.orgA.id,
      personId: w.people.memberA.id,
      campaignId: campaign.id,
      versionId: version.current.id,
      targetId: target.id,
    };
    const ids = await ctx.db.selectFrom("statement_version").where("statement_id", "=", statement.id).select("id").execute();
    aIds = new Set([
      ...Object.values(aCoalitionParams).filter((v) => v.length > 10),
      ...Object.values(aOrganisationParams),
      ...Object.values(aPersonalParams),
      ...ids.map((r) => r.id),
      w.people.adminA.id,
      invited.organisationId,
      update.id,
      opened.vote.id,
      ballot.receipt,
      signature.id,
    ]);

    // Coalition B: one person per role. Its organisations are not members of A.
    const coalitionB = await createCoalition(ctx);
    const secretariatB = await createOrganisation(ctx, coalitionB.id);
    const orgB = await createOrganisation(ctx, coalitionB.id);
    const observerB = await createOrganisation(ctx, coalitionB.id, { status: "observer" });
    const person = async (org: string, role: "admin" | "member", representative: boolean) => {
      const p = await createPerson(ctx);
      await addMember(ctx, org, p.id, role, representative);
      return p;
    };
    const coordB = await person(secretariatB.id, "admin", true);
    await makeCoordinator(ctx, coalitionB.id, coordB.id);
    const adminB = await person(orgB.id, "admin", true);
    const memberB = await person(orgB.id, "member", false);
    const repB = await person(orgB.id, "member", true);
    const obsB = await person(observerB.id, "admin", true);
    const role = async (p: { id: string }, organisationId: string, orgAdmin: boolean, isCoordinator = false) => ({
      client: await signInAs(ctx, p),
      personId: p.id,
      organisationId,
      orgAdmin,
      coordinator: isCoordinator,
    });
    b = {
      coalitionId: coalitionB.id,
      roles: {
        coordinator: await role(coordB, secretariatB.id, true, true),
        admin: await role(adminB, orgB.id, true),
        member: await role(memberB, orgB.id, false),
        representative: await role(repB, orgB.id, false),
        observer: await role(obsB, observerB.id, true),
      },
    };
  });

  const fill = (path: string, params: Record<string, string>) =>
    path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const value = params[name];
      if (!value) throw new Error(`no value for {${name}} in ${path}: add an object of this kind to coalition A`);
      return value;
    });

  /** Every request of the sweep, generated from the OpenAPI document. */
  function cases(): { cases: Case[]; skipped: string[]; missingBodies: string[] } {
    const out: Case[] = [];
    const skipped = new Set<string>();
    const missingBodies = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const method = m.toUpperCase() as Method;
        const route = `${method} ${path}`;
        const policy = op["x-policy"] ?? "";
        const params = [...path.matchAll(/\{(\w+)\}/g)].map((x) => x[1] ?? "");
        // Operator routes are instance-wide by design (no role of B is an operator): operators.routes.test.ts covers them.
        if (policy === "public" || policy === "devOnly" || policy === "operator" || (policy === "signedIn" && params.length === 0)) {
          skipped.add(`${route} (${policy}${policy === "signedIn" ? ", the person's own data" : ""})`);
          continue;
        }
        const makeBody = BODIES[route];
        if (op.requestBody && !makeBody) {
          missingBodies.add(route);
          continue;
        }
        const query = QUERIES[route] ? `?${QUERIES[route]}` : "";
        const queryIds = (op.parameters ?? []).filter((p) => p.in === "query" && QUERY_IDS[p.name]).map((p) => p.name);
        for (const role of ROLES) {
          const r = b.roles[role];
          // The requester's own organisation and person; a campaign or version can only be A's.
          const own: BodyIds = { ...aBodyIds, organisationId: r.organisationId, personId: r.personId };
          const push = (variant: Variant, filled: string, body: unknown, policyRefuses = false) =>
            out.push({ route, variant, role, client: r.client, method, path: filled, body, policyRefuses });

          if (policy === "signedIn") {
            push("A's object", fill(path, aPersonalParams) + query, makeBody?.(aBodyIds));
            continue;
          }
          const coalitionRoute = params[0] === "coalitionId";
          const aParams = coalitionRoute ? aCoalitionParams : aOrganisationParams;
          // Through A's path: the policy must refuse with 404 (B's people cannot see A).
          push("A's path", fill(path, aParams) + query, makeBody?.(aBodyIds));

          // Through B's own path: the scope is B's (or the role's own organisation), every other id is A's.
          const scope: Record<string, string> = coalitionRoute ? { coalitionId: b.coalitionId } : { organisationId: r.organisationId };
          const policyRefuses = (policy === "coordinator" && !r.coordinator) || (policy === "organisationAdmin" && !r.orgAdmin);
          if (params.length > 1) {
            push("B's path", fill(path, { ...aParams, ...scope }) + query, makeBody?.(own), policyRefuses);
          } else if (method === "GET") {
            const ids = queryIds.map((q) => `${q}=${aBodyIds[QUERY_IDS[q] as keyof BodyIds]}`).join("&");
            push("B's list", fill(path, scope) + (ids ? `?${ids}` : query), undefined, policyRefuses);
          } else {
            const body = makeBody?.(aBodyIds);
            const text = JSON.stringify(body) ?? "";
            // A body naming A's objects, sent to B's own collection; without one, it is B's own business.
            if (Object.values(aBodyIds).some((id) => id && text.includes(id)))
              push("B's path, A's ids in body", fill(path, scope), body, policyRefuses);
            else skipped.add(`${route} through B's own path (no id of A to send)`);
          }
        }
      }
    }
    // Audited reads last, so reading B's audit log first sees only what B's requests did there.
    out.sort((x, y) => Number(AUDITED_READS.has(x.route)) - Number(AUDITED_READS.has(y.route)));
    return { cases: out, skipped: [...skipped], missingBodies: [...missingBodies] };
  }

  /** The same request with each of A's ids replaced by an id that exists nowhere. */
  function missingTwin(c: Case): { path: string; body: unknown } {
    const map = new Map<string, string>();
    const swap = (text: string) =>
      text.replace(UUID_IN_TEXT, (id) => {
        if (!aIds.has(id)) return id;
        const fresh = map.get(id) ?? crypto.randomUUID();
        map.set(id, fresh);
        return fresh;
      });
    return { path: swap(c.path), body: c.body === undefined ? undefined : JSON.parse(swap(JSON.stringify(c.body))) };
  }

  const shape = (res: TestResponse) => {
    const body = res.body as { code?: string; errors?: { path: string }[] } | undefined;
    return { status: res.status, code: body?.code, fields: (body?.errors ?? []).map((e) => e.path).sort() };
  };

  it("finds the coalition-scoped routes and has a body for every route that takes one", () => {
    const { cases: all, missingBodies } = cases();
    expect(missingBodies, "routes with a request body but no entry in BODIES").toEqual([]);
    expect(new Set(all.map((c) => c.route)).size).toBeGreaterThan(60);
    // The registry must still hold routes this test relies on, or the sweep proves nothing.
    const keys = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(keys).toEqual(
      expect.arrayContaining([
        "GET /api/coalitions/{coalitionId}/statements/{statementId}",
        "POST /api/coalitions/{coalitionId}/statements/{statementId}/vote/ballots",
        "GET /api/coalitions/{coalitionId}/tasks/{taskId}",
        "PATCH /api/coalitions/{coalitionId}/campaigns/{campaignId}/metrics/{metricId}/contributions/{contributionId}",
      ]),
    );
    expect(tables).toEqual(expect.arrayContaining(["statement", "ballot", "task", "campaign", "audit_event", "march_stage"]));
  });

  // About 1,300 requests, each followed by a fingerprint of every table: 20 s on PGlite, more on a busy machine.
  it("every role of B gets 404 for A's objects, through B's own path and A's path, and no table changes", {
    timeout: 180_000,
  }, async () => {
    const { cases: all, skipped } = cases();
    const failures: string[] = [];
    /** Routes whose B's-own-path requests got a real 404 from the service, by at least one role. */
    const provenByService = new Set<string>();
    const needsProof = new Set<string>();
    const refusedBeforeLookup: string[] = [];
    let before = await fingerprint(ctx, tables);
    const send = async (c: Case, path: string, body: unknown, label: string) => {
      const res = await c.client.request(c.method, path, body);
      const after = await fingerprint(ctx, tables);
      const changed = tables.filter((t) => before[t] !== after[t] && !(AUDITED_READS.has(c.route) && AUDIT_TABLES.has(t)));
      if (changed.length > 0) failures.push(`${label}: changed ${changed.join(", ")} (status ${res.status})`);
      before = after;
      return res;
    };
    for (const c of all) {
      const label = `${c.role} ${c.method} ${c.path} [${c.variant}]`;
      const res = await send(c, c.path, c.body, label);
      const got = shape(res);
      const detail = `${res.status} ${got.code ?? ""} ${got.fields.join(",")} ${res.status >= 500 ? res.text.slice(0, 200) : ""}`;
      if (c.variant === "B's list") {
        if (c.policyRefuses ? got.status !== 403 : got.status !== 200 && got.status !== 404) failures.push(`${label}: got ${detail}`);
        for (const id of aIds) if (res.text.includes(id)) failures.push(`${label}: shows A's id ${id}`);
        continue;
      }
      if (c.variant === "A's path" || c.variant === "A's object") {
        if (got.status !== 404 || got.code !== "not_found") failures.push(`${label}: expected 404 not_found, got ${detail}`);
        continue;
      }
      // B's own path: B's role passed the policy (unless the route refuses it), so only the service stands between B and A.
      if (c.policyRefuses) {
        if (got.status !== 403 || got.code !== "forbidden") failures.push(`${label}: expected the policy's 403, got ${detail}`);
        continue;
      }
      needsProof.add(c.route);
      // A's id must be indistinguishable from an id that exists nowhere.
      const twin = missingTwin(c);
      const twinShape = shape(await send(c, twin.path, twin.body, `${label} (missing-id twin)`));
      if (JSON.stringify(twinShape) !== JSON.stringify(got))
        failures.push(`${label}: answers ${JSON.stringify(got)} for A's ids but ${JSON.stringify(twinShape)} for missing ids`);
      if (got.status === 404 && got.code === "not_found") provenByService.add(c.route);
      else if ((got.status === 403 && got.code === "forbidden") || (got.status === 400 && c.variant === "B's path, A's ids in body"))
        refusedBeforeLookup.push(`${label}: ${detail}`);
      else failures.push(`${label}: expected 404 not_found, got ${detail}`);
    }
    // Each route must be shown to filter by coalition at least once: a role-based refusal
    // before the lookup is no proof. Body-only routes answer a field error (400), like a missing id.
    for (const route of needsProof)
      if (!provenByService.has(route) && !all.some((c) => c.route === route && c.variant === "B's path, A's ids in body"))
        failures.push(`${route}: no role of B reached the service's coalition filter (all refused before the lookup)`);

    const routes = new Set(all.map((c) => c.route));
    const count = (v: Variant) => all.filter((c) => c.variant === v).length;
    console.info(
      [
        `isolation sweep: ${all.length} requests (+ a missing-id twin for each on B's own path) over ${routes.size} routes × ${ROLES.length} roles of B; ${tables.length} tables fingerprinted after each request`,
        `  A's path: ${count("A's path")}; B's own path with A's object ids: ${count("B's path")}; A's ids in a body to B's path: ${count("B's path, A's ids in body")}; B's lists checked for A's ids: ${count("B's list")}; personal objects of A: ${count("A's object")}`,
        `  routes proven to filter in the service (404 through B's own path): ${provenByService.size} of ${needsProof.size}`,
        `  refused before the lookup, indistinguishable from a missing id (${refusedBeforeLookup.length}):`,
        ...refusedBeforeLookup.map((x) => `    ${x}`),
        `  not swept: ${skipped.length}`,
        ...skipped.map((x) => `    ${x}`),
      ].join("\n"),
    );
    expect(failures).toEqual([]);
  });
});
