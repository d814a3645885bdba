import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";

type World = Awaited<ReturnType<typeof createWorld>>;

describe("a campaign end to end through the API", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  it("runs a campaign: march with stages, ribbons metric, task assigned, delegated and done", async () => {
    const base = `/api/coalitions/${w.coalition.id}`;
    const created = await w.clients.coordinator.post<{ id: string; owners: unknown[] }>(`${base}/campaigns`, {
      title: "Yellow ribbons for free expression",
      summary: "100,000 ribbons",
      description: "**Bold** <script>alert(1)</script>",
      ownerOrganisationIds: [w.orgA.id, w.orgB.id],
    });
    expect(created.status).toBe(201);
    expect(created.body.owners).toHaveLength(2);
    const campaignId = created.body.id;
    const got = await w.clients.memberA.get<{ descriptionHtml: string; canEdit: boolean }>(`${base}/campaigns/${campaignId}`);
    expect(got.body.descriptionHtml).toContain("<strong>Bold</strong>");
    expect(got.body.descriptionHtml).not.toContain("<script");
    expect(got.body.canEdit).toBe(true);

    const march = await w.clients.adminA.post<{ totalDistanceKm: number; startsAt: string; stages: unknown[] }>(
      `${base}/campaigns/${campaignId}/activities`,
      {
        kind: "march",
        title: "Phnom Penh to Angkor Wat",
        startsAt: "2026-12-01T07:00",
        stages: [
          { date: "2026-12-01", from: "Phnom Penh", to: "Skuon", distanceKm: 75.5 },
          { date: "2026-12-02", from: "Skuon", to: "Kampong Thom", distanceKm: 88.1 },
        ],
      },
    );
    expect(march.status).toBe(201);
    expect(march.body.startsAt).toBe("2026-12-01T07:00");
    expect(march.body.totalDistanceKm).toBe(163.6);
    const ics = await w.clients.memberA.get(`${base}/campaigns/${campaignId}/activities.ics`);
    expect(ics.status).toBe(200);
    expect(ics.text).toContain("DTSTART:20261201T000000Z");
    // One all-day event per stage, named in the reader's language (issue 10, item 13).
    const unfolded = ics.text.replace(/\r\n[ \t]/g, "");
    expect(unfolded).toContain("DTSTART;VALUE=DATE:20261201");
    expect(unfolded).toContain("DTSTART;VALUE=DATE:20261202");
    expect(unfolded).toContain("SUMMARY:Phnom Penh to Angkor Wat\\, stage 2: Skuon to Kampong Thom (88.1 km)");
    expect(unfolded.match(/BEGIN:VEVENT/g)).toHaveLength(3);

    const metric = await w.clients.coordinator.post<{ id: string }>(`${base}/campaigns/${campaignId}/metrics`, {
      name: "Ribbons distributed",
      unit: "ribbons",
      target: 100000,
    });
    expect(metric.status).toBe(201);
    const reports = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? w.clients.adminA : w.clients.adminB).post(`${base}/campaigns/${campaignId}/metrics/${metric.body.id}/contributions`, {
          organisationId: i % 2 ? w.orgA.id : w.orgB.id,
          amount: 25,
          date: "2026-12-01",
        }),
      ),
    );
    expect(reports.map((r) => r.status)).toEqual(Array(40).fill(201));
    const metrics = await w.clients.memberA.get<{ total: number; progress: number; shares: { amount: number }[] }[]>(
      `${base}/campaigns/${campaignId}/metrics`,
    );
    expect(metrics.body[0]?.total).toBe(1000);
    expect(metrics.body[0]?.progress).toBe(0.01);
    expect(metrics.body[0]?.shares.map((s) => s.amount)).toEqual([500, 500]);

    const task = await w.clients.coordinator.post<{ id: string }>(`${base}/tasks`, {
      campaignId,
      title: "Print ribbons",
      assigneeOrganisationId: w.orgA.id,
      dueOn: "2026-12-05",
    });
    expect(task.status).toBe(201);
    const taskUrl = `${base}/tasks/${task.body.id}`;
    expect((await w.clients.memberA.post(`${taskUrl}/delegate`, { personId: w.people.memberA.id })).status).toBe(403);
    const delegated = await w.clients.adminA.post<{ assigneePerson: { id: string } }>(`${taskUrl}/delegate`, {
      personId: w.people.memberA.id,
    });
    expect(delegated.status).toBe(200);
    expect(delegated.body.assigneePerson.id).toBe(w.people.memberA.id);
    expect((await w.clients.adminB.post(`${taskUrl}/status`, { status: "done" })).status).toBe(403);
    const done = await w.clients.memberA.post<{ status: string; history: { field: string }[] }>(`${taskUrl}/status`, { status: "done" });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe("done");
    expect(done.body.history.map((h) => h.field)).toEqual(["created", "assigneePerson", "status"]);

    const mine = await w.clients.memberA.get<{ items: { id: string }[] }>(`${base}/tasks?view=mine`);
    expect(mine.body.items.map((t) => t.id)).toEqual([task.body.id]);
    const csv = await w.clients.coordinator.get(`${base}/tasks.csv?campaignId=${campaignId}`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain("Print ribbons");
    expect((await w.clients.outsider.get(taskUrl)).status).toBe(404);
  });
});
