import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { checkPermissions, expectations, expectInvalid, expectProblem } from "../../../../test/permissions.ts";

/** An organisation's second name, in the other language (issue 10, item 10). */
describe("organisation second name", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  const orgRow = (id: string) => () => ctx.db.selectFrom("organisation").where("id", "=", id).selectAll().executeTakeFirstOrThrow();
  const lastAudit = (targetId: string) =>
    ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "organisation.update")
      .where("target_id", "=", targetId)
      .selectAll()
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();

  it("its admins set it (audited, read back by the coalition); others are refused and nothing changes", async () => {
    const w = await createWorld(ctx);
    const secondName = { language: "km", name: "អង្គការ ក" };
    const res = await checkPermissions(
      ctx,
      w.clients,
      { method: "PATCH", path: `/api/organisations/${w.orgA.id}`, body: { secondName }, state: orgRow(w.orgA.id) },
      expectations.organisationAdmin(200),
    );
    expect(res.adminA?.body).toMatchObject({ name: w.orgA.name, secondName });
    expect(await orgRow(w.orgA.id)()).toMatchObject({ name: w.orgA.name, second_name: "អង្គការ ក", second_name_language: "km" });
    const event = await lastAudit(w.orgA.id);
    expect(event.before).toMatchObject({ secondName: null });
    expect(event.after).toMatchObject({ secondName });
    // Another member of the coalition reads it; another coalition's coordinator gets 404.
    const read = await w.clients.adminB.get<{ secondName: unknown }>(`/api/organisations/${w.orgA.id}`);
    expect(read.body.secondName).toEqual(secondName);
    expectProblem(await w.clients.outsider.get(`/api/organisations/${w.orgA.id}`), 404, "not_found");

    // Changing its language, then removing it with null: both audited.
    const changed = await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, {
      secondName: { language: "en", name: "Organisation A" },
    });
    expect(changed.body).toMatchObject({ secondName: { language: "en", name: "Organisation A" } });
    const removed = await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, { secondName: null });
    expect(removed.body).toMatchObject({ secondName: null });
    expect(await orgRow(w.orgA.id)()).toMatchObject({ second_name: null, second_name_language: null });
    expect((await lastAudit(w.orgA.id)).before).toMatchObject({ secondName: { language: "en", name: "Organisation A" } });
    expect((await lastAudit(w.orgA.id)).after).toMatchObject({ secondName: null });
  });

  it("refuses a bad second name with field errors (400, never 500) and changes nothing", async () => {
    const w = await createWorld(ctx);
    const path = `/api/organisations/${w.orgA.id}`;
    const state = orgRow(w.orgA.id);
    const patch = (secondName: unknown) => () => w.clients.adminA.patch(path, { secondName });
    await expectInvalid(ctx, patch({ language: "fr", name: "Organisation" }), ["secondName.language"], state);
    await expectInvalid(ctx, patch({ language: "km", name: "   " }), ["secondName.name"], state);
    await expectInvalid(ctx, patch({ language: "km", name: "ក".repeat(161) }), ["secondName.name"], state);
    await expectInvalid(ctx, patch({ language: "km" }), ["secondName.name"], state);
    await expectInvalid(ctx, patch({ language: "km", name: "ក", extra: 1 }), ["secondName.extra"], state);
    await expectInvalid(ctx, patch("អង្គការ"), ["secondName"], state);
  });

  it("cannot take a name another member of the coalition uses, nor be taken as one", async () => {
    const w = await createWorld(ctx);
    const state = orgRow(w.orgA.id);
    // orgA's second name may not be orgB's name (in any case or spacing).
    const before = await state();
    const res = await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, {
      secondName: { language: "en", name: ` ${w.orgB.name.toUpperCase()} ` },
    });
    expectProblem(res, 409, "organisation_name_taken");
    expect(res.json(Problem).errors?.map((e) => e.path)).toEqual(["secondName.name"]);
    expect(await state()).toEqual(before);
    // Once orgA has a second name, orgB may not take it as its name.
    expect(
      (await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, { secondName: { language: "km", name: "សម្ព័ន្ធ" } })).status,
    ).toBe(200);
    expectProblem(await w.clients.adminB.patch(`/api/organisations/${w.orgB.id}`, { name: "សម្ព័ន្ធ" }), 409, "organisation_name_taken");
    // Its own primary name as its second name is fine (the same organisation).
    expect(
      (await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, { secondName: { language: "en", name: w.orgA.name } })).status,
    ).toBe(200);
  });
});
