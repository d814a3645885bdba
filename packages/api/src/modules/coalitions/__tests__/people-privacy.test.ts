import { Coordinator } from "@samakki/shared/coalitions";
import { OrganisationPerson } from "@samakki/shared/organisations";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { addMember, createOrganisation, createPerson, createWorld, makeCoordinator, signInAs } from "../../../../test/factories/index.ts";
import { ACTORS, type Actor, checkPermissions, expectations, type World } from "../../../../test/permissions.ts";

type Listed = z.infer<typeof Coordinator>;

/**
 * Who sees whose email (docs/security.md §19: members see other organisations' people by name and role,
 * not their email addresses): members see addresses of their own organisation only; coordinators
 * see those of the member organisations' people; people of suspended or departed organisations are
 * not listed to members. Every endpoint that shows people is checked for what it reveals.
 */
describe("who sees whose email", () => {
  let ctx: TestContext;
  let w: World;
  let base: string;
  let leftOrg: { id: string };
  let leftPerson: { id: string; email: string };
  let secretariatMember: { id: string; email: string };
  let loneCoordinator: { id: string; email: string };
  let clientOfSecretariatMember: Awaited<ReturnType<typeof signInAs>>;

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    base = `/api/coalitions/${w.coalition.id}`;
    leftOrg = await createOrganisation(ctx, w.coalition.id, { status: "left" });
    leftPerson = await createPerson(ctx);
    await addMember(ctx, leftOrg.id, leftPerson.id, "admin");
    // A person of the coordinator's own organisation, and a coordinator of no member organisation.
    secretariatMember = await createPerson(ctx);
    await addMember(ctx, w.secretariat.id, secretariatMember.id, "member");
    clientOfSecretariatMember = await signInAs(ctx, secretariatMember);
    loneCoordinator = await createPerson(ctx);
    await makeCoordinator(ctx, w.coalition.id, loneCoordinator.id);
  });

  const p = () => w.people;
  /** Every person's address in the world, to look for in every answer. */
  const allEmails = () => [
    ...Object.values(w.people).map((x) => x.email),
    leftPerson.email,
    secretariatMember.email,
    loneCoordinator.email,
  ];

  /** The addresses each actor may ever read: their own organisation's; coordinators, the coalition's people. */
  function allowed(actor: Actor): string[] {
    const people = p();
    switch (actor) {
      case "coordinator":
        return [
          people.coordinator.email,
          people.adminA.email,
          people.memberA.email,
          people.adminB.email,
          people.observer.email,
          people.suspended.email,
          secretariatMember.email,
          loneCoordinator.email,
        ];
      case "adminA":
      case "memberA":
        return [people.adminA.email, people.memberA.email];
      case "adminB":
        return [people.adminB.email];
      case "observer":
        return [people.observer.email];
      case "suspended":
        return [people.suspended.email];
      case "outsider":
        return [people.outsider.email];
      case "anonymous":
        return [];
    }
  }

  const emailsIn = (text: string) => allEmails().filter((e) => text.includes(e));

  it("GET /organisations/{id}/people: addresses for its own people and coordinators; names and roles for other members", async () => {
    const res = await checkPermissions(
      ctx,
      w.clients,
      { method: "GET", path: `/api/organisations/${w.orgA.id}/people` },
      expectations.organisationMember(200),
    );
    const expected = (withEmail: boolean) =>
      [
        { personId: p().adminA.id, email: withEmail ? p().adminA.email : null, role: "admin" },
        { personId: p().memberA.id, email: withEmail ? p().memberA.email : null, role: "member" },
      ].sort((a, b) => a.personId.localeCompare(b.personId));
    const seen = (actor: Actor) =>
      z
        .array(OrganisationPerson)
        .parse(res[actor]?.body)
        .map(({ personId, email, role }) => ({ personId, email, role }))
        .sort((a, b) => a.personId.localeCompare(b.personId));
    for (const actor of ["adminA", "memberA", "coordinator"] as const) expect(seen(actor), actor).toEqual(expected(true));
    for (const actor of ["adminB", "observer"] as const) {
      expect(seen(actor), actor).toEqual(expected(false));
      expect(emailsIn(res[actor]?.text ?? ""), actor).toEqual([]);
    }
  });

  it("a suspended organisation's people are listed to its own people and the coordinators only; a departed one's to its own people", async () => {
    await checkPermissions(
      ctx,
      w.clients,
      { method: "GET", path: `/api/organisations/${w.suspendedOrg.id}/people` },
      {
        anonymous: 401,
        outsider: 404,
        observer: 404,
        adminB: 404,
        memberA: 404,
        adminA: 404,
        suspended: 200,
        coordinator: 200,
      },
    );
    const forCoordinator = await w.clients.coordinator.get<Listed[]>(`/api/organisations/${w.suspendedOrg.id}/people`);
    expect(forCoordinator.body.map((x) => x.email)).toEqual([p().suspended.email]);
    const own = await w.clients.suspended.get<Listed[]>(`/api/organisations/${w.suspendedOrg.id}/people`);
    expect(own.body.map((x) => x.email)).toEqual([p().suspended.email]);

    const left = `/api/organisations/${leftOrg.id}/people`;
    for (const actor of ["observer", "adminB", "memberA", "adminA", "coordinator"] as const)
      expect((await w.clients[actor].get(left)).status, actor).toBe(404);
    const leftOwn = await (await signInAs(ctx, leftPerson)).get<Listed[]>(left);
    expect(leftOwn.body.map((x) => x.email)).toEqual([leftPerson.email]);
  });

  it("GET /coordinators: names for members, addresses for coordinators and for people of the coordinator's own organisation", async () => {
    const res = await checkPermissions(ctx, w.clients, { method: "GET", path: `${base}/coordinators` }, expectations.coalitionMember(200));
    const byPerson = (actor: Actor) =>
      new Map(
        z
          .array(Coordinator)
          .parse(res[actor]?.body)
          .map((c) => [c.personId, c.email]),
      );
    expect(byPerson("coordinator")).toEqual(
      new Map([
        [p().coordinator.id, p().coordinator.email],
        [loneCoordinator.id, loneCoordinator.email],
      ]),
    );
    for (const actor of ["adminA", "memberA", "adminB", "observer"] as const)
      expect(byPerson(actor), actor).toEqual(
        new Map([
          [p().coordinator.id, null],
          [loneCoordinator.id, null],
        ]),
      );
    const colleague = await clientOfSecretariatMember.get<Listed[]>(`${base}/coordinators`);
    expect(new Map(colleague.body.map((c) => [c.personId, c.email]))).toEqual(
      new Map([
        [p().coordinator.id, p().coordinator.email],
        [loneCoordinator.id, null],
      ]),
    );
  });

  it("GET /people (coordinators) lists the active and observer organisations' people with their addresses", async () => {
    const res = await checkPermissions(ctx, w.clients, { method: "GET", path: `${base}/people` }, expectations.coordinator(200));
    const listed = z.array(Coordinator).parse(res.coordinator?.body);
    expect(listed.map((x) => x.email).sort()).toEqual(
      [p().coordinator.email, p().adminA.email, p().memberA.email, p().adminB.email, p().observer.email, secretariatMember.email].sort(),
    );
  });

  it("no answer that shows people reveals an address the reader may not see, whatever their role", async () => {
    const campaign = await w.clients.coordinator.post<{ id: string }>(`${base}/campaigns`, {
      title: "Ribbons",
      ownerOrganisationIds: [w.orgA.id],
    });
    expect(campaign.status, campaign.text).toBe(201);
    const task = await w.clients.coordinator.post<{ id: string }>(`${base}/tasks`, {
      title: "Print ribbons",
      campaignId: campaign.body.id,
      assigneeOrganisationId: w.orgA.id,
      assigneePersonId: p().memberA.id,
    });
    expect(task.status, task.text).toBe(201);
    const mention = `@[Admin B](${p().adminB.id}) @[Observer](${p().observer.id})`;
    expect((await w.clients.memberA.post(`${base}/tasks/${task.body.id}/comments`, { body: mention })).status).toBe(201);
    const statement = await w.clients.adminB.post<{ id: string }>(`${base}/statements`, { title: "On ribbons", bodyEn: "We stand." });
    expect(statement.status, statement.text).toBe(201);

    const paths = [
      `${base}/members`,
      `${base}/coordinators`,
      `${base}/people`,
      `${base}/directory`,
      `${base}/tasks`,
      `${base}/tasks/${task.body.id}`,
      `${base}/campaigns`,
      `${base}/campaigns/${campaign.body.id}`,
      `${base}/statements`,
      `${base}/statements/${statement.body.id}`,
      ...[w.orgA, w.orgB, w.observerOrg, w.suspendedOrg, w.secretariat, leftOrg].flatMap((o) => [
        `/api/organisations/${o.id}`,
        `/api/organisations/${o.id}/people`,
      ]),
    ];
    const leaks: string[] = [];
    for (const actor of ACTORS) {
      for (const path of paths) {
        const res = await w.clients[actor].get(path);
        for (const email of emailsIn(res.text)) if (!allowed(actor).includes(email)) leaks.push(`${actor} ${path}: ${email}`);
      }
    }
    expect(leaks).toEqual([]);

    // The directory (for mentions) is names only, and without the suspended or departed organisations' people.
    const directory = await w.clients.memberA.get<{ personId: string }[]>(`${base}/directory`);
    const ids = directory.body.map((x) => x.personId);
    expect(ids).not.toContain(p().suspended.id);
    expect(ids).not.toContain(leftPerson.id);
    expect(ids).toContain(p().adminB.id);
  });
});
