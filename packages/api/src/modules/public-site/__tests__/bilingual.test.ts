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

  it("the campaign's pages of action (its petition, its letter to MPs, its sign-up) name it in the page's language too", async () => {
    const base = `/api/coalitions/${w.coalition.id}/campaigns`;
    const title = unique("Clean water");
    const kmTitle = unique("ទឹកស្អាត");
    const created = await w.clients.coordinator.post<{ id: string; slug: string }>(base, {
      title,
      secondTitle: { language: "km", name: kmTitle },
      visibility: "public",
      status: "active",
      ownerOrganisationIds: [w.orgA.id],
    });
    expect(created.status, created.text).toBe(201);
    const petition = await w.clients.coordinator.post(`${base}/${created.body.id}/petition`, {
      titleKm: "ញត្តិ",
      titleEn: "Petition",
      bodyKm: "",
      bodyEn: "",
      target: 100,
      opensOn: "2020-01-01",
      closesOn: "2099-12-31",
    });
    expect(petition.status, petition.text).toBe(201);
    const target = await w.clients.coordinator.post<{ id: string }>(`/api/coalitions/${w.coalition.id}/letter-targets`, {
      nameEn: "An MP",
      province: "KH-12",
    });
    expect(target.status, target.text).toBe(201);
    const action = await w.clients.coordinator.post(`${base}/${created.body.id}/letter-actions`, {
      title: "Open letter",
      bodyEn: "Dear MP",
      targetIds: [target.body.id],
    });
    expect(action.status, action.text).toBe(201);
    for (const page of ["petition", "letter", "join"]) {
      const path = `/coalitions/${w.coalition.slug}/campaigns/${created.body.slug}/${page}`;
      const km = await ctx.anonymous().get(`${path}?lang=km`);
      expect(km.status, `${page} ${km.text}`).toBe(200);
      expect(km.text, page).toContain(kmTitle);
      expect(km.text, page).not.toContain(title);
      const en = await ctx.anonymous().get(`${path}?lang=en`);
      expect(en.text, page).toContain(title);
      expect(en.text, page).not.toContain(kmTitle);
    }
  });

  it("a metric's unit in the second name's language goes with it: the Khmer page, the dashboard and the API each say theirs", async () => {
    const base = `/api/coalitions/${w.coalition.id}/campaigns`;
    const created = await w.clients.coordinator.post<{ id: string; slug: string }>(base, {
      title: unique("Freedom week"),
      visibility: "public",
      status: "active",
      ownerOrganisationIds: [w.orgA.id],
    });
    expect(created.status, created.text).toBe(201);
    const metric = await w.clients.coordinator.post<{ id: string; unit: string; secondUnit: string | null }>(
      `${base}/${created.body.id}/metrics`,
      {
        name: "Ribbons handed out",
        secondName: { language: "km", name: "ខ្សែបូដែលបានចែក" },
        unit: "ribbons",
        secondUnit: "ខ្សែបូ",
        target: 500,
      },
    );
    expect(metric.status, metric.text).toBe(201);
    expect(metric.body).toMatchObject({ unit: "ribbons", secondUnit: "ខ្សែបូ" });
    const page = (lang: string) => ctx.anonymous().get(`/coalitions/${w.coalition.slug}/campaigns/${created.body.slug}?lang=${lang}`);
    const km = (await page("km")).text;
    expect(km).toContain("ខ្សែបូ");
    expect(km).not.toMatch(/\bribbons\b/);
    expect((await page("en")).text).toMatch(/\bribbons\b/);
    const dashboard = await w.clients.coordinator.get<{
      campaigns: { items: { id: string; metrics: { unit: string; secondUnit: string | null }[] }[] };
    }>(`/api/coalitions/${w.coalition.id}/dashboard`);
    expect(dashboard.body.campaigns.items.find((c) => c.id === created.body.id)?.metrics[0]).toMatchObject({
      unit: "ribbons",
      secondUnit: "ខ្សែបូ",
    });

    // The unit can be corrected afterwards; removing the second name removes its unit.
    const path = `${base}/${created.body.id}/metrics/${metric.body.id}`;
    const fixed = await w.clients.coordinator.patch<{ unit: string; secondUnit: string | null }>(path, { unit: "yellow ribbons" });
    expect(fixed.body).toMatchObject({ unit: "yellow ribbons", secondUnit: "ខ្សែបូ" });
    const removed = await w.clients.coordinator.patch<{ secondName: unknown; secondUnit: string | null }>(path, { secondName: null });
    expect(removed.body).toMatchObject({ secondName: null, secondUnit: null });
    // Without a second name, a second unit is refused at its field (400, never the database's 500), and nothing changes.
    for (const res of [
      await w.clients.coordinator.patch(path, { secondUnit: "ខ្សែបូ" }),
      await w.clients.coordinator.post(`${base}/${created.body.id}/metrics`, { name: "Letters", unit: "letters", secondUnit: "លិខិត" }),
    ]) {
      expect(res.status, res.text).toBe(400);
      expect((res.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["secondUnit"]);
    }
    const row = await ctx.db.selectFrom("metric").where("campaign_id", "=", created.body.id).selectAll().execute();
    expect(row.map((r) => [r.unit, r.second_unit])).toEqual([["yellow ribbons", null]]);
  });

  it("the coalition's home and its campaigns' pages name the coalition in the page's language", async () => {
    const kmName = unique("សម្ព័ន្ធព្រៃឈើ");
    const renamed = await w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}`, {
      secondName: { language: "km", name: kmName },
    });
    expect(renamed.status, renamed.text).toBe(200);
    const created = await w.clients.coordinator.post<{ id: string; slug: string }>(`/api/coalitions/${w.coalition.id}/campaigns`, {
      title: unique("Clean rivers"),
      visibility: "public",
      ownerOrganisationIds: [w.orgA.id],
    });
    const home = (lang: string) => ctx.anonymous().get(`/coalitions/${w.coalition.slug}?lang=${lang}`);
    const campaign = (lang: string) => ctx.anonymous().get(`/coalitions/${w.coalition.slug}/campaigns/${created.body.slug}?lang=${lang}`);
    expect((await home("km")).text).toContain(`<h1>${kmName}</h1>`);
    expect((await home("en")).text).toContain(`<h1>${w.coalition.name}</h1>`);
    expect((await home("en")).text).not.toContain(kmName);
    expect((await campaign("km")).text).toContain(`>${kmName}</a>`);
    expect((await campaign("en")).text).not.toContain(kmName);
    // Its pages of action too: the petition's and the sign-up's.
    const petition = await w.clients.coordinator.post(`/api/coalitions/${w.coalition.id}/campaigns/${created.body.id}/petition`, {
      titleKm: "ញត្តិ",
      titleEn: "Petition",
      bodyKm: "",
      bodyEn: "",
      target: 100,
      opensOn: "2020-01-01",
      closesOn: "2099-12-31",
    });
    expect(petition.status, petition.text).toBe(201);
    for (const page of ["petition", "join"]) {
      const path = `/coalitions/${w.coalition.slug}/campaigns/${created.body.slug}/${page}`;
      const km = await ctx.anonymous().get(`${path}?lang=km`);
      expect(km.status, page).toBe(200);
      expect(km.text, page).toContain(kmName);
      expect((await ctx.anonymous().get(`${path}?lang=en`)).text, page).not.toContain(kmName);
    }
  });
});
