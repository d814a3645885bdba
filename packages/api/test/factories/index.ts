import type { MemberStatus } from "@samakki/shared/coalitions";
import { createSession } from "../../src/modules/auth/sessions.service.ts";
import { TestClient, type TestContext } from "../app.ts";
import { testHasher } from "../passwords.ts";

let counter = 0;
/** Unique values per call, so tests never collide on emails or slugs. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

export const DEFAULT_PASSWORD = "correct horse battery staple 42";
let passwordHash: Promise<string> | undefined;

export async function createCoalition(ctx: TestContext, overrides: { name?: string; timeZone?: string } = {}) {
  const name = overrides.name ?? unique("Coalition");
  return ctx.db
    .insertInto("coalition")
    .values({ name, slug: unique("c").toLowerCase(), time_zone: overrides.timeZone ?? "Asia/Phnom_Penh" })
    .returning(["id", "name", "slug", "time_zone"])
    .executeTakeFirstOrThrow();
}

export async function createOrganisation(
  ctx: TestContext,
  coalitionId: string | null,
  overrides: { name?: string; status?: MemberStatus } = {},
) {
  const name = overrides.name ?? unique("Organisation");
  const org = await ctx.db
    .insertInto("organisation")
    .values({ name, short_name: null, contact_email: `${unique("contact")}@example.org`.toLowerCase() })
    .returning(["id", "name", "contact_email"])
    .executeTakeFirstOrThrow();
  if (coalitionId)
    await ctx.db
      .insertInto("coalition_member")
      .values({ coalition_id: coalitionId, organisation_id: org.id, status: overrides.status ?? "active" })
      .execute();
  return org;
}

export async function createPerson(
  ctx: TestContext,
  overrides: { email?: string; displayName?: string; language?: "en" | "km"; password?: string } = {},
) {
  passwordHash ??= testHasher.hash(DEFAULT_PASSWORD);
  const password = overrides.password ?? DEFAULT_PASSWORD;
  const email = (overrides.email ?? `${unique("person")}@example.org`).toLowerCase();
  const row = await ctx.db
    .insertInto("person")
    .values({
      email,
      display_name: overrides.displayName ?? unique("Person"),
      language: overrides.language ?? "en",
      password_hash: overrides.password ? await testHasher.hash(password) : await passwordHash,
      email_verified_at: new Date(),
      disabled_at: null,
    })
    .returning(["id", "email", "display_name"])
    .executeTakeFirstOrThrow();
  return { ...row, password };
}

export async function addMember(
  ctx: TestContext,
  organisationId: string,
  personId: string,
  role: "admin" | "member" = "member",
  representative = role === "admin",
) {
  await ctx.db.insertInto("membership").values({ organisation_id: organisationId, person_id: personId, role, representative }).execute();
}

export async function makeCoordinator(ctx: TestContext, coalitionId: string, personId: string) {
  await ctx.db.insertInto("coordinator").values({ coalition_id: coalitionId, person_id: personId }).execute();
}

/** A client signed in as the person, through a real session row (with a fresh recent authentication). */
export async function signInAs(ctx: TestContext, person: { id: string }): Promise<TestClient> {
  const { token } = await createSession(ctx.db, ctx.config, person.id, "test");
  const cookieName =
    new URL(ctx.config.publicUrl).protocol === "https:" || ["localhost", "127.0.0.1"].includes(new URL(ctx.config.publicUrl).hostname)
      ? "__Host-samakki_session"
      : "samakki_session";
  return new TestClient(ctx.app, `${cookieName}=${token}`);
}

/**
 * A coalition with everything permission tests need: a coordinator (whose organisation is the
 * secretariat), two member organisations with an admin and a member each, an observer and a
 * suspended organisation, and a second coalition with its own coordinator and organisation.
 */
export async function createWorld(ctx: TestContext) {
  const coalition = await createCoalition(ctx);
  const secretariat = await createOrganisation(ctx, coalition.id, { name: unique("Secretariat") });
  const orgA = await createOrganisation(ctx, coalition.id, { name: unique("Org A") });
  const orgB = await createOrganisation(ctx, coalition.id, { name: unique("Org B") });
  const observerOrg = await createOrganisation(ctx, coalition.id, { status: "observer" });
  const suspendedOrg = await createOrganisation(ctx, coalition.id, { status: "suspended" });

  const coordinator = await createPerson(ctx, { displayName: unique("Coordinator") });
  await addMember(ctx, secretariat.id, coordinator.id, "admin");
  await makeCoordinator(ctx, coalition.id, coordinator.id);
  const adminA = await createPerson(ctx);
  await addMember(ctx, orgA.id, adminA.id, "admin");
  const memberA = await createPerson(ctx);
  await addMember(ctx, orgA.id, memberA.id, "member");
  const adminB = await createPerson(ctx);
  await addMember(ctx, orgB.id, adminB.id, "admin");
  const observer = await createPerson(ctx);
  await addMember(ctx, observerOrg.id, observer.id, "admin");
  const suspended = await createPerson(ctx);
  await addMember(ctx, suspendedOrg.id, suspended.id, "admin");

  const other = await createCoalition(ctx);
  const otherOrg = await createOrganisation(ctx, other.id);
  const outsider = await createPerson(ctx);
  await addMember(ctx, otherOrg.id, outsider.id, "admin");
  await makeCoordinator(ctx, other.id, outsider.id);

  const people = { coordinator, adminA, memberA, adminB, observer, suspended, outsider };
  const clients = {
    coordinator: await signInAs(ctx, coordinator),
    adminA: await signInAs(ctx, adminA),
    memberA: await signInAs(ctx, memberA),
    adminB: await signInAs(ctx, adminB),
    observer: await signInAs(ctx, observer),
    suspended: await signInAs(ctx, suspended),
    outsider: await signInAs(ctx, outsider),
    anonymous: ctx.anonymous(),
  };
  return { coalition, secretariat, orgA, orgB, observerOrg, suspendedOrg, other, otherOrg, people, clients };
}
