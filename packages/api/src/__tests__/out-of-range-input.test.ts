import { translate } from "@samakki/shared/i18n/index";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext, type TestResponse } from "../../test/app.ts";
import { createWorld } from "../../test/factories/index.ts";
import { expectInvalid } from "../../test/permissions.ts";
import { localDate } from "../lib/time.ts";
import { type BigWorld, type CampaignBody, extendWorld, makeCampaign } from "../modules/campaigns/__tests__/helpers.ts";
import { makeAction, makeTarget } from "../modules/letters/__tests__/helpers.ts";
import { makePetition } from "../modules/petitions/__tests__/helpers.ts";

/**
 * Values the shapes allow but the database refuses: year 0000 (there was no year 0) and the
 * extended years JavaScript writes (+275760-…). Each was a 500 found from outside with the
 * published API document alone; each is a 400 naming the field, with nothing changed.
 */
describe("dates and cursors out of the database's range", () => {
  let ctx: TestContext;
  let w: BigWorld;
  let campaign: CampaignBody;
  let url: string;

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
    campaign = await makeCampaign(w);
    url = `${w.base}/campaigns/${campaign.id}`;
  });

  const bad = (run: () => Promise<TestResponse>, paths: string[]) => expectInvalid(ctx, run, paths);

  it("a date before 1900 or after 2999 is a field error on every form that takes one", async () => {
    const metric = await w.clients.coordinator.post<{ id: string }>(`${url}/metrics`, { name: "Ribbons", unit: "ribbons", target: 100 });
    const { path: petition } = await makePetition(w);
    for (const day of ["0000-01-01", "0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"]) {
      await bad(
        () => w.clients.coordinator.post(`${w.base}/tasks`, { title: "Print ribbons", campaignId: campaign.id, dueOn: day }),
        ["dueOn"],
      );
      await bad(() => w.clients.coordinator.get(`${w.base}/tasks?dueBefore=${day}`), ["query.dueBefore"]);
      await bad(
        () => w.clients.coordinator.post(`${w.base}/campaigns`, { title: "A campaign", ownerOrganisationIds: [w.orgA.id], startsOn: day }),
        ["startsOn"],
      );
      await bad(
        () => w.clients.coordinator.post(`${url}/activities`, { kind: "meeting", title: "Meeting", startsAt: `${day}T10:00` }),
        ["startsAt"],
      );
      await bad(
        () => w.clients.adminA.post(`${url}/metrics/${metric.body.id}/contributions`, { organisationId: w.orgA.id, amount: 1, date: day }),
        ["date"],
      );
      await bad(
        () => w.clients.adminB.post(`${petition}/paper-sheets`, { organisationId: w.orgB.id, count: 3, province: "KH-12", date: day }),
        ["date"],
      );
    }
    // The edges themselves are taken.
    for (const day of ["1900-01-01", "2999-12-31"]) {
      const res = await w.clients.coordinator.post(`${w.base}/tasks`, { title: "Print ribbons", campaignId: campaign.id, dueOn: day });
      expect(res.status, res.text).toBe(201);
    }
  });

  it("a letter sent, a contribution made or a sheet counted cannot be dated after the coalition's today; today itself is taken", async () => {
    const metric = await w.clients.coordinator.post<{ id: string }>(`${url}/metrics`, { name: "Leaflets", unit: "leaflets", target: 100 });
    const { path: petition } = await makePetition(w);
    const target = await makeTarget(w);
    const action = await makeAction(w, campaign.id, [target.id]);
    const letters = `${url}/letter-actions/${action.id}/letters`;
    // The world's coalition keeps Phnom Penh's day (UTC+7).
    const today = localDate(new Date(), "Asia/Phnom_Penh");
    const tomorrow = localDate(new Date(Date.now() + 86_400_000), "Asia/Phnom_Penh");
    const records = [
      [
        "sentOn",
        () => w.clients.adminA.post(letters, { targetId: target.id, organisationId: w.orgA.id, sentOn: tomorrow, channel: "hand" }),
      ],
      [
        "date",
        () =>
          w.clients.adminA.post(`${url}/metrics/${metric.body.id}/contributions`, { organisationId: w.orgA.id, amount: 1, date: tomorrow }),
      ],
      [
        "date",
        () => w.clients.adminB.post(`${petition}/paper-sheets`, { organisationId: w.orgB.id, count: 3, province: "KH-12", date: tomorrow }),
      ],
    ] as const;
    for (const [field, run] of records) {
      const res = await bad(run, [field]);
      expect((res.body as { errors: Array<{ message: string }> }).errors[0]?.message).toBe(translate("en", "validation.date_in_future"));
    }
    const letter = await w.clients.adminA.post<{ id: string }>(letters, {
      targetId: target.id,
      organisationId: w.orgA.id,
      sentOn: today,
      channel: "hand",
    });
    expect(letter.status, letter.text).toBe(201);
    const contribution = await w.clients.adminA.post<{ id: string }>(`${url}/metrics/${metric.body.id}/contributions`, {
      organisationId: w.orgA.id,
      amount: 1,
      date: today,
    });
    expect(contribution.status, contribution.text).toBe(201);
    const sheet = await w.clients.adminB.post<{ id: string }>(`${petition}/paper-sheets`, {
      organisationId: w.orgB.id,
      count: 3,
      province: "KH-12",
      date: today,
    });
    expect(sheet.status, sheet.text).toBe(201);
    // Corrections too, and the reply to a letter.
    await bad(() => w.clients.adminA.patch(`${letters}/${letter.body.id}`, { sentOn: tomorrow }), ["sentOn"]);
    const reply = { summary: "Will consider it", stance: "undecided" };
    await bad(
      () => w.clients.adminA.request("PUT", `${letters}/${letter.body.id}/reply`, { ...reply, receivedOn: tomorrow }),
      ["receivedOn"],
    );
    const replied = await w.clients.adminA.request("PUT", `${letters}/${letter.body.id}/reply`, { ...reply, receivedOn: today });
    expect(replied.status, replied.text).toBe(200);
    await bad(
      () => w.clients.adminA.patch(`${url}/metrics/${metric.body.id}/contributions/${contribution.body.id}`, { date: tomorrow }),
      ["date"],
    );
    await bad(() => w.clients.adminB.patch(`${petition}/paper-sheets/${sheet.body.id}`, { date: tomorrow }), ["date"]);
  });

  it("a number in a query or path is decimal digits only: 0x10, 1e2, an empty value or a space is a field error", async () => {
    const statement = await w.clients.coordinator.post<{ id: string }>(`${w.base}/statements`, {
      title: "Draft",
      bodyEn: "Text",
      bodyKm: "",
    });
    expect(statement.status, statement.text).toBe(201);
    const versions = `${w.base}/statements/${statement.body.id}/versions`;
    for (const written of ["0x10", "1e1", "", "%207", "1.0", "-1", "+5", "0b1", "Infinity"]) {
      await bad(() => w.clients.coordinator.get(`${w.base}/tasks?limit=${written}`), ["query.limit"]);
      await bad(() => w.clients.coordinator.get(`${w.base}/campaigns?limit=${written}`), ["query.limit"]);
      await bad(() => w.clients.coordinator.get(`/api/notifications?limit=${written}`), ["query.limit"]);
      await bad(() => w.clients.coordinator.get(`${w.base}/statements/${statement.body.id}/diff?from=${written}&to=1`), ["query.from"]);
    }
    // Read as JavaScript reads numbers, "0x1" was version 1 under another name; a path naming nothing is a 404.
    const other = await w.clients.coordinator.get(`${versions}/0x1`);
    expect(other.status, other.text).toBe(404);
    const one = await w.clients.coordinator.get(`${versions}/1`);
    expect(one.status, one.text).toBe(200);
    const page = await w.clients.coordinator.get<{ items: unknown[] }>(`${w.base}/tasks?limit=007`);
    expect(page.status, page.text).toBe(200);
  });

  it("a malformed date or date-time is one error, not one for each rule it fails", async () => {
    const once = async (run: () => Promise<TestResponse>, path: string) => {
      const res = await bad(run, [path]);
      expect((res.body as { errors: unknown[] }).errors, res.text).toHaveLength(1);
    };
    for (const value of ["abc", "2026-13-45", "0000-99-99"]) {
      await once(() => w.clients.coordinator.get(`${w.base}/tasks?dueBefore=${value}`), "query.dueBefore");
      await once(
        () => w.clients.coordinator.post(`${url}/activities`, { kind: "meeting", title: "Meeting", startsAt: `${value}T10:00` }),
        "startsAt",
      );
    }
    await once(
      () => w.clients.coordinator.post(`${url}/activities`, { kind: "meeting", title: "Meeting", startsAt: "0000-02-30T10:00" }),
      "startsAt",
    );
  });

  it("a forged cursor with year 0 or an extended year is a field error on every paged list", async () => {
    const id = "0a0b0c0d-1111-4222-8333-444455556666";
    const lists = ["/api/notifications", `${w.base}/campaigns`, `${url}/updates`, `${w.base}/tasks`, `${w.base}/statements`];
    for (const at of ["0000-01-01T00:00:00.000Z", "+275760-09-13T00:00:00.000Z", "-000001-01-01T00:00:00.000Z"]) {
      const cursor = Buffer.from(`${at}|${id}`).toString("base64url");
      for (const list of lists) await bad(() => w.clients.coordinator.get(`${list}?cursor=${cursor}`), ["query.cursor"]);
    }
  });
});
