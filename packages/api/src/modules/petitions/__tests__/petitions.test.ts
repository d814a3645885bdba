import { translate } from "@samakki/shared/i18n/index";
import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { setDatabaseClockOffset } from "../../../../test/clock.ts";
import { bodyOf, checkPermissions, expectInvalid } from "../../../../test/permissions.ts";
import { type BigWorld, makeCampaign } from "../../campaigns/__tests__/helpers.ts";
import { purgeDuePetitions } from "../petitions.service.ts";
import { confirm, withdraw } from "../petitions.signing.ts";
import { linksFor, makePetition, type PetitionBody, petitionWorld, publicPetition, signAs, uniqueEmail } from "./helpers.ts";

const DAY = 86_400_000;

describe("petitions", () => {
  let ctx: TestContext;
  let w: BigWorld;
  type Actor = keyof BigWorld["clients"];
  const owners = (ok: number) =>
    ({
      anonymous: 401,
      outsider: 404,
      suspended: 404,
      observer: 403,
      adminB: 403,
      memberA: 403,
      adminA: ok,
      coordinator: ok,
    }) satisfies Partial<Record<Actor, number>>;
  const members = (ok: number) =>
    ({
      anonymous: 401,
      outsider: 404,
      suspended: 404,
      observer: ok,
      adminB: ok,
      memberA: ok,
      adminA: ok,
      coordinator: ok,
    }) satisfies Partial<Record<Actor, number>>;
  const petitionState = (campaignId: string) => async () => ({
    petition: await ctx.db.selectFrom("petition").where("campaign_id", "=", campaignId).selectAll().executeTakeFirst(),
    rows: await sql<{ t: string; n: string }>`SELECT 'sig' AS t, count(*)::text AS n FROM petition_signature
      UNION ALL SELECT 'sheet', count(*)::text FROM petition_paper_sheet UNION ALL SELECT 'rev', count(*)::text FROM petition_paper_sheet_revision`
      .execute(ctx.db)
      .then((r) => r.rows),
  });

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await petitionWorld(ctx);
  });

  it("creates a petition: owners only (coordinators and co-owner organisations' admins); one per campaign", async () => {
    const { campaign } = await makePetition(w);
    // The existing petition makes a second one a conflict, for owners; the rest are refused before.
    const second = await w.clients.adminA.post(`${w.base}/campaigns/${campaign.id}/petition`, {
      titleKm: "ក",
      titleEn: "A",
      bodyKm: "",
      bodyEn: "",
      target: 5,
      opensOn: "2026-01-01",
      closesOn: "2026-02-01",
    });
    expect(second.status).toBe(409);
    const fresh = await makeCampaign(w, { visibility: "public" });
    const body = { titleKm: "ក", titleEn: "A", bodyKm: "", bodyEn: "", target: 5, opensOn: "2026-01-01", closesOn: "2026-02-01" };
    await checkPermissions(
      ctx,
      w.clients,
      { method: "POST", path: `${w.base}/campaigns/${fresh.id}/petition`, body, state: petitionState(fresh.id) },
      { anonymous: 401, outsider: 404, suspended: 404, observer: 403, adminB: 403, memberA: 403, adminA: 201 },
    );
  });

  it("shows the petition and its counts to every member; only owners may manage it", async () => {
    const { path } = await makePetition(w);
    const res = await checkPermissions(ctx, w.clients, { method: "GET", path }, members(200));
    expect(bodyOf<PetitionBody>(res.adminA).canManage).toBe(true);
    expect(bodyOf<PetitionBody>(res.coordinator).canManage).toBe(true);
    expect(bodyOf<PetitionBody>(res.memberA).canManage).toBe(false);
    expect(bodyOf<PetitionBody>(res.adminB).canManage).toBe(false);
    // Another coalition's coordinator, through their own coalition: still 404.
    const campaignId = path.split("/")[5] ?? "";
    expect((await w.clients.outsider.get(`/api/coalitions/${w.other.id}/campaigns/${campaignId}/petition`)).status).toBe(404);
    expect((await w.clients.coordinator.get(`${w.base}/campaigns/not-a-uuid/petition`)).status).toBe(404);
  });

  it("edits and lists signers: owners only", async () => {
    const { campaign, path } = await makePetition(w);
    await checkPermissions(
      ctx,
      w.clients,
      { method: "PATCH", path, body: { target: 500 }, state: petitionState(campaign.id) },
      owners(200),
    );
    expect((await w.clients.coordinator.get<PetitionBody>(path)).body.target).toBe(500);
    await checkPermissions(ctx, w.clients, { method: "GET", path: `${path}/signers` }, owners(200));
    await checkPermissions(ctx, w.clients, { method: "GET", path: `${path}/signers.csv` }, owners(200));
  });

  it("refuses bad input with field errors and changes nothing", async () => {
    const { campaign, path } = await makePetition(w);
    const fresh = await makeCampaign(w, { visibility: "public" });
    await expectInvalid(
      ctx,
      () =>
        w.clients.coordinator.post(`${w.base}/campaigns/${fresh.id}/petition`, {
          titleKm: "",
          titleEn: "A",
          bodyKm: "",
          bodyEn: "",
          target: 0,
          opensOn: "2026-03-01",
          closesOn: "2026-02-01",
        }),
      ["titleKm", "target", "closesOn"],
      petitionState(fresh.id),
    );
    // A change that puts the closing date before the stored opening date.
    await expectInvalid(ctx, () => w.clients.coordinator.patch(path, { closesOn: "2019-01-01" }), ["closesOn"], petitionState(campaign.id));
    await expectInvalid(
      ctx,
      () => w.clients.coordinator.post(`${path}/close`, { deleteAfterDays: -1 }),
      ["deleteAfterDays"],
      petitionState(campaign.id),
    );
    await expectInvalid(
      ctx,
      () => w.clients.adminB.post(`${path}/paper-sheets`, { organisationId: w.orgB.id, count: 3, province: "KH-99", date: "2026-02-30" }),
      ["province", "date"],
      petitionState(campaign.id),
    );
    // A signers' cursor we did not issue is bad input (400), not "from the start".
    for (const cursor of ["garbage", Buffer.from("2026-01-01T00:00:00.000Z|not-a-uuid").toString("base64url")])
      await expectInvalid(ctx, () => w.clients.coordinator.get(`${path}/signers?cursor=${cursor}`), ["query.cursor"]);
  });

  it("signing, confirming, signing again and withdrawing: only confirmed signatures count, once", async () => {
    const { campaign, path } = await makePetition(w);
    const p = await publicPetition(ctx, w, campaign.slug);
    const email = uniqueEmail();
    await signAs(ctx, p, { email, name: "Sokha", province: "KH-17", lang: "km" });
    let body = (await w.clients.coordinator.get<PetitionBody>(path)).body;
    expect(body.counts.online).toBe(0);

    const first = await linksFor(ctx, email);
    expect(first.mail.language).toBe("km");
    expect(first.mail.subject).toContain("ញត្តិការពារព្រៃឈើ");
    // Tokens are stored hashed only.
    const row = await ctx.db.selectFrom("petition_signature").where("email_key", "=", email).selectAll().executeTakeFirstOrThrow();
    expect(row.confirm_token_hash).not.toBe(first.confirm);
    expect(JSON.stringify(row)).not.toContain(first.confirm ?? "none");

    expect(await confirm(ctx.db, first.confirm ?? "")).toBe("confirmed");
    // The link again: it changes nothing and says so.
    expect(await confirm(ctx.db, first.confirm ?? "")).toBe("already_confirmed");
    body = (await w.clients.coordinator.get<PetitionBody>(path)).body;
    expect(body.counts.online).toBe(1);
    expect(body.counts.byProvince).toEqual([{ province: "KH-17", online: 1, paper: 0 }]);

    // Signing again with the address in capitals: the same row, a new email, no second count, details kept.
    await signAs(ctx, p, { email: email.toUpperCase(), name: "Someone Else", lang: "en" });
    const again = await linksFor(ctx, email.toUpperCase());
    expect(again.mail.language).toBe("en");
    // The email says it counts already: no confirmation link, and no new withdrawal link (anyone may
    // type the address: a new one used to replace the signer's own, which then stopped working).
    expect(again.confirm).toBeUndefined();
    expect(again.withdraw).toBe("");
    expect(again.mail.text).toContain(translate("en", "email.petition_confirmation.withdrawEarlier"));
    expect(await confirm(ctx.db, first.confirm ?? "")).toBe("already_confirmed");
    const rows = await ctx.db.selectFrom("petition_signature").where("petition_id", "=", p.id).selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.name).toBe("Sokha");
    expect((await w.clients.coordinator.get<PetitionBody>(path)).body.counts.online).toBe(1);

    // The first email's withdrawal link still works.
    expect(first.withdraw).not.toBe("");
    expect(await withdraw(ctx.db, first.withdraw)).toBe(true);
    expect(await ctx.db.selectFrom("petition_signature").where("petition_id", "=", p.id).selectAll().execute()).toHaveLength(0);
    expect((await w.clients.coordinator.get<PetitionBody>(path)).body.counts.online).toBe(0);
  });

  it("a confirmation link expires after 7 days and never works on a closed petition", async () => {
    const { campaign, path } = await makePetition(w);
    const p = await publicPetition(ctx, w, campaign.slug);
    const late = await signAs(ctx, p);
    const closedLater = await signAs(ctx, p);
    try {
      await setDatabaseClockOffset(ctx.db, 7 * DAY + 60_000);
      expect(await confirm(ctx.db, (await linksFor(ctx, late)).confirm ?? "")).toBe("invalid");
    } finally {
      await setDatabaseClockOffset(ctx.db, 0);
    }
    expect((await w.clients.coordinator.post(`${path}/close`, { deleteAfterDays: null })).status).toBe(200);
    expect(await confirm(ctx.db, (await linksFor(ctx, closedLater)).confirm ?? "")).toBe("invalid");
    expect((await w.clients.coordinator.get<PetitionBody>(path)).body.counts.online).toBe(0);
    expect((await w.clients.coordinator.post(`${path}/close`, { deleteAfterDays: null })).status).toBe(409);
    expect((await w.clients.coordinator.patch(path, { target: 3 })).status).toBe(422);
  });

  it("closing with deletion after N days: the job deletes the personal data when due, keeps counts by province, and the audit says so without the data", async () => {
    const { campaign, path } = await makePetition(w);
    const p = await publicPetition(ctx, w, campaign.slug);
    const emails = [
      await signAs(ctx, p, { province: "KH-2", name: "Dara Secret" }),
      await signAs(ctx, p, { province: "KH-2" }),
      await signAs(ctx, p, { province: "KH-21" }),
    ];
    for (const email of emails.slice(0, 2)) expect(await confirm(ctx.db, (await linksFor(ctx, email)).confirm ?? "")).toBe("confirmed");
    await signAs(ctx, p, { province: "KH-21" }); // never confirmed
    expect((await w.clients.memberA.post(`${path}/close`, { deleteAfterDays: 3 })).status).toBe(403);
    const closed = await w.clients.adminA.post<PetitionBody>(`${path}/close`, { deleteAfterDays: 3 });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.status).toBe("closed");
    expect(closed.body.purgeDueAt).not.toBeNull();

    // Not due yet: nothing happens.
    await purgeDuePetitions(ctx.db);
    expect(await ctx.db.selectFrom("petition_signature").where("petition_id", "=", p.id).select("id").execute()).toHaveLength(4);
    try {
      await setDatabaseClockOffset(ctx.db, 3 * DAY + 60_000);
      expect(await purgeDuePetitions(ctx.db)).toBeGreaterThanOrEqual(1);
      // A second run finds nothing more to do for it.
      await purgeDuePetitions(ctx.db);
    } finally {
      await setDatabaseClockOffset(ctx.db, 0);
    }
    expect(await ctx.db.selectFrom("petition_signature").where("petition_id", "=", p.id).select("id").execute()).toHaveLength(0);
    const after = (await w.clients.coordinator.get<PetitionBody>(path)).body;
    expect(after.purgedAt).not.toBeNull();
    expect(after.counts.online).toBe(2);
    expect(after.counts.byProvince).toEqual([{ province: "KH-2", online: 2, paper: 0 }]);
    const events = await ctx.db
      .selectFrom("audit_event")
      .where("target_id", "=", p.id)
      .where("action", "=", "petition.personal_data_deleted")
      .selectAll()
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain("Dara Secret");
    expect(JSON.stringify(events)).not.toContain(emails[0]);
  });

  it("no signer data in any audit event, nor in any email but the signer's own", async () => {
    const { campaign, path } = await makePetition(w);
    const p = await publicPetition(ctx, w, campaign.slug);
    const email = await signAs(ctx, p, { name: "Chanthy Private", comment: "my own words" });
    expect(await confirm(ctx.db, (await linksFor(ctx, email)).confirm ?? "")).toBe("confirmed");
    await w.clients.coordinator.get(`${path}/signers.csv`);
    const audit = await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM audit_event WHERE (coalesce(before::text, '') || coalesce(after::text, '')) ILIKE ${`%${email}%`}
      OR (coalesce(before::text, '') || coalesce(after::text, '')) ILIKE '%Chanthy Private%'`.execute(ctx.db);
    expect(audit.rows[0]?.n).toBe("0");
    const mails = await ctx.db
      .selectFrom("outbox_email")
      .where((eb) =>
        eb.or([eb("text", "like", "%Chanthy Private%"), eb("html", "like", "%Chanthy Private%"), eb("text", "like", `%${email}%`)]),
      )
      .select("to_address")
      .execute();
    // Not even the signer's own: nothing typed into the form is in it (the confirmation page shows the name).
    expect(mails.map((m) => m.to_address)).toEqual([]);
  });

  it("exports the confirmed signers as formula-safe CSV", async () => {
    const { campaign, path } = await makePetition(w);
    const p = await publicPetition(ctx, w, campaign.slug);
    const email = await signAs(ctx, p, { name: '=HYPERLINK("http://evil","x")', comment: "+1 agree", province: "KH-3" });
    await signAs(ctx, p, { name: "Pending Person" });
    expect(await confirm(ctx.db, (await linksFor(ctx, email)).confirm ?? "")).toBe("confirmed");
    const res = await w.clients.adminA.get(`${path}/signers.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const records = parse(res.text.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(1);
    expect(records[0]?.name).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(records[0]?.comment).toBe("'+1 agree");
    expect(records[0]?.province).toBe("KH-3");
    const list = await w.clients.adminA.get<{ items: { name: string; status: string }[] }>(`${path}/signers?status=pending`);
    expect(list.body.items.map((i) => i.name)).toEqual(["Pending Person"]);
  });

  it("paper sheets: an organisation records its own, corrects them with history, and they count apart", async () => {
    const { campaign, path } = await makePetition(w);
    const recorded = await w.clients.adminB.post<{ id: string }>(`${path}/paper-sheets`, {
      organisationId: w.orgB.id,
      count: 120,
      province: "KH-17",
      date: "2026-11-20",
      note: "market day",
    });
    expect(recorded.status, recorded.text).toBe(201);
    // Someone recording for another organisation, or from outside.
    const state = petitionState(campaign.id);
    const before = await state();
    expect(
      (await w.clients.adminB.post(`${path}/paper-sheets`, { organisationId: w.orgA.id, count: 5, province: "KH-1", date: "2026-11-20" }))
        .status,
    ).toBe(403);
    expect(
      (
        await w.clients.anonymous.post(`${path}/paper-sheets`, {
          organisationId: w.orgB.id,
          count: 5,
          province: "KH-1",
          date: "2026-11-20",
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await w.clients.outsider.post(`${path}/paper-sheets`, {
          organisationId: w.otherOrg.id,
          count: 5,
          province: "KH-1",
          date: "2026-11-20",
        })
      ).status,
    ).toBe(404);
    expect((await w.clients.adminA.patch(`${path}/paper-sheets/${recorded.body.id}`, { count: 1 })).status).toBe(403);
    expect(await state()).toEqual(before);

    expect((await w.clients.adminB.patch(`${path}/paper-sheets/${recorded.body.id}`, { count: 150, note: "recounted" })).status).toBe(204);
    const sheets = await w.clients.memberA.get<{ count: number; revision: number; history: { revision: number; count: number }[] }[]>(
      `${path}/paper-sheets`,
    );
    expect(sheets.status).toBe(200);
    expect(sheets.body[0]?.count).toBe(150);
    expect(sheets.body[0]?.history.map((h) => [h.revision, h.count])).toEqual([
      [2, 150],
      [1, 120],
    ]);
    const body = (await w.clients.memberA.get<PetitionBody>(path)).body;
    expect(body.counts).toMatchObject({ online: 0, paper: 150, total: 150 });
    expect(body.counts.byProvince).toEqual([{ province: "KH-17", online: 0, paper: 150 }]);
  });
});
