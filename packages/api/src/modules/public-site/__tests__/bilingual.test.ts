import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";

/** The public campaign pages show a campaign's and a metric's second name in the page's language (issue 10, item 10). */
describe("public site: names in the page's language", () => {
  let ctx: TestContext;
  let w: Awaited<ReturnType<typeof createWorld>>;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  it("the Khmer page shows the Khmer title and metric name, the English page the English ones", async () => {
    const base = `/api/coalitions/${w.coalition.id}/campaigns`;
    const title = unique("Protect the forest");
    const kmTitle = unique("ការពារព្រៃឈើ");
    const created = await w.clients.coordinator.post<{ id: string; slug: string }>(base, {
      title,
      secondTitle: { language: "km", name: kmTitle },
      visibility: "public",
      ownerOrganisationIds: [w.orgA.id],
    });
    expect(created.status, created.text).toBe(201);
    const metric = await w.clients.coordinator.post(`${base}/${created.body.id}/metrics`, {
      name: "Trees planted",
      secondName: { language: "km", name: "ដើមឈើដែលបានដាំ" },
      unit: "",
      target: 100,
    });
    expect(metric.status, metric.text).toBe(201);
    const page = (lang: string) => ctx.anonymous().get(`/coalitions/${w.coalition.slug}/campaigns/${created.body.slug}?lang=${lang}`);
    const km = await page("km");
    expect(km.status).toBe(200);
    expect(km.text).toContain(`<h1>${kmTitle}</h1>`);
    expect(km.text).toContain("<h3>ដើមឈើដែលបានដាំ</h3>");
    expect(km.text).not.toContain(`<h1>${title}</h1>`);
    const en = await page("en");
    expect(en.text).toContain(`<h1>${title}</h1>`);
    expect(en.text).toContain("<h3>Trees planted</h3>");
    expect(en.text).not.toContain(kmTitle);
    // The coalition's home lists it under the title in each language too.
    const homeKm = await ctx.anonymous().get(`/coalitions/${w.coalition.slug}?lang=km`);
    expect(homeKm.text).toContain(kmTitle);
    const homeEn = await ctx.anonymous().get(`/coalitions/${w.coalition.slug}?lang=en`);
    expect(homeEn.text).toContain(title);
    expect(homeEn.text).not.toContain(kmTitle);

    // A second title in English shows on the English page, with the primary (Khmer) one on the Khmer page.
    expect(
      (await w.clients.coordinator.patch(`${base}/${created.body.id}`, { title: kmTitle, secondTitle: { language: "en", name: title } }))
        .status,
    ).toBe(200);
    expect((await page("en")).text).toContain(`<h1>${title}</h1>`);
    expect((await page("km")).text).toContain(`<h1>${kmTitle}</h1>`);
  });
});
