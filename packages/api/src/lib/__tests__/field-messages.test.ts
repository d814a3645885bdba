import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../test/app.ts";
import { createWorld } from "../../../test/factories/index.ts";

describe("field errors from services and schemas are translated", () => {
  let ctx: TestContext;
  let w: Awaited<ReturnType<typeof createWorld>>;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  it("answers a service's own check in the reader's language", async () => {
    const body = {
      title: "Stages on a meeting",
      kind: "meeting",
      startsAt: "2026-12-01T07:00",
      stages: [{ date: "2026-12-01", from: "A", to: "B", distanceKm: 1 }],
    };
    const campaign = await w.clients.coordinator.post<{ id: string }>(`/api/coalitions/${w.coalition.id}/campaigns`, {
      title: "Field errors",
      ownerOrganisationIds: [w.orgA.id],
    });
    const url = `/api/coalitions/${w.coalition.id}/campaigns/${campaign.body.id}/activities`;
    const en = await w.clients.coordinator.post<{ errors: { path: string; message: string }[] }>(url, body);
    expect(en.status).toBe(400);
    expect(en.body.errors).toEqual([{ path: "stages", message: "Only a march has stages." }]);
    const km = await w.clients.coordinator.post<{ errors: { path: string; message: string }[] }>(url, body, { "x-samakki-language": "km" });
    expect(km.body.errors).toEqual([{ path: "stages", message: "មានតែការដង្ហែក្បួនទេដែលមានដំណាក់កាល។" }]);
  });

  it("answers a schema's named check in the reader's language", async () => {
    const res = await w.clients.memberA.post<{ errors: { path: string; message: string }[] }>(
      `/api/coalitions/${w.coalition.id}/statements`,
      { title: "Empty", bodyEn: " ", bodyKm: "" },
      { "x-samakki-language": "km" },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "bodyEn", message: "សូមសរសេរអត្ថបទជាភាសាអង់គ្លេស ឬភាសាខ្មែរ។" }]);
  });

  it("answers in the signed-in person's own language over the browser's, and in the web app's over both", async () => {
    const client = w.clients.adminB;
    const url = `/api/coalitions/${w.coalition.id}/statements`;
    const empty = { title: "Empty", bodyEn: " ", bodyKm: "" };
    const english = [{ path: "bodyEn", message: "Write the text in English or Khmer." }];
    const khmer = [{ path: "bodyEn", message: "សូមសរសេរអត្ថបទជាភាសាអង់គ្លេស ឬភាសាខ្មែរ។" }];
    type Answer = { errors: { path: string; message: string }[] };
    expect((await client.post<Answer>(url, empty, { "accept-language": "en" })).body.errors).toEqual(english);
    expect((await client.patch("/api/me", { language: "km" })).status).toBe(200);
    try {
      expect((await client.post<Answer>(url, empty, { "accept-language": "en" })).body.errors).toEqual(khmer);
      expect((await client.post<Answer>(url, empty, { "accept-language": "en", "x-samakki-language": "en" })).body.errors).toEqual(english);
    } finally {
      await client.patch("/api/me", { language: "en" });
    }
  });
});
