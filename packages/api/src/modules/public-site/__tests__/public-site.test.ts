import { DOMParser } from "@xmldom/xmldom";
import { html } from "hono/html";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildTestApp, type TestClient, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { type PublicCampaignSection, publicCampaignSections } from "../sections.ts";

type World = Awaited<ReturnType<typeof createWorld>>;
const KiB = 1024;

interface Created {
  id: string;
  slug: string;
}

async function ok<T>(res: Promise<{ status: number; body: T; text: string }>, status = 201): Promise<T> {
  const r = await res;
  expect(r.status, r.text).toBe(status);
  return r.body;
}

/** The world is seeded through the API (dozens of requests): more than the default hook time on a loaded machine. */
const SETUP_TIMEOUT = 180_000;

describe("the public site", () => {
  let ctx: TestContext;
  let w: World;
  let coordinator: TestClient;
  let pub: Created;
  let membersOnly: Created;
  let othersPublic: Created;
  const sharedSlug = unique("shared").toLowerCase();
  const stages = [
    { date: "2026-12-10", from: "ភ្នំពេញ", to: "តាខ្មៅ", distanceKm: 12.5 },
    { date: "2026-12-11", from: "តាខ្មៅ", to: "Kampong Speu", distanceKm: 30 },
    { date: "2026-12-12", from: "Kampong Speu", to: "Kampot", distanceKm: 95.25 },
  ];
  /** Names and addresses that must never appear on a public page. */
  let secrets: string[];

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    coordinator = w.clients.coordinator;
    const base = `/api/coalitions/${w.coalition.id}/campaigns`;
    pub = await ok(
      coordinator.post<Created>(base, {
        title: "ការពារព្រៃឈើ Protect the forest",
        slug: sharedSlug,
        summary: "A march to protect the Prey Lang forest.",
        description: "We walk **together** from Phnom Penh to Kampot.",
        goals: "- Stop the logging concession\n- Consult the communities",
        status: "active",
        visibility: "public",
        startsOn: "2026-12-10",
        ownerOrganisationIds: [w.orgA.id, w.secretariat.id],
        participantOrganisationIds: [w.orgB.id],
      }),
    );
    membersOnly = await ok(
      coordinator.post<Created>(base, { title: "Internal planning campaign", ownerOrganisationIds: [w.orgA.id], visibility: "members" }),
    );
    othersPublic = await ok(
      w.clients.outsider.post<Created>(`/api/coalitions/${w.other.id}/campaigns`, {
        title: "Another coalition's campaign",
        slug: unique("theirs").toLowerCase(),
        visibility: "public",
        ownerOrganisationIds: [w.otherOrg.id],
      }),
    );
    // The other coalition also has a public campaign with our slug: slug pairs must not mix.
    await ok(
      w.clients.outsider.post<Created>(`/api/coalitions/${w.other.id}/campaigns`, {
        title: "Their campaign with our slug",
        slug: sharedSlug,
        visibility: "public",
        ownerOrganisationIds: [w.otherOrg.id],
      }),
    );
    const campaignUrl = `${base}/${pub.id}`;
    await ok(
      coordinator.post(`${campaignUrl}/activities`, {
        kind: "march",
        title: "Long march to Kampot",
        startsAt: "2026-12-10T07:00",
        endsAt: "2026-12-12T17:00",
        location: "Phnom Penh",
        stages,
      }),
    );
    await ok(coordinator.post(`${campaignUrl}/activities`, { kind: "meeting", title: "Community meeting", startsAt: "2026-12-20T09:00" }));
    const metric = await ok(
      coordinator.post<Created>(`${campaignUrl}/metrics`, { name: "Ribbons distributed", unit: "ribbons", target: 10000 }),
    );
    const noteA = unique("note of org A");
    const noteB = unique("note of org B");
    await ok(
      w.clients.adminA.post(`${campaignUrl}/metrics/${metric.id}/contributions`, {
        organisationId: w.orgA.id,
        amount: 3170.5,
        date: "2026-12-01",
        note: noteA,
      }),
    );
    await ok(
      w.clients.adminB.post(`${campaignUrl}/metrics/${metric.id}/contributions`, {
        organisationId: w.orgB.id,
        amount: 1329.5,
        date: "2026-12-02",
        note: noteB,
      }),
    );
    await ok(coordinator.post(`${campaignUrl}/updates`, { body: "The first **stage** is done." }));
    const taskTitle = unique("Secret task");
    await ok(coordinator.post(`/api/coalitions/${w.coalition.id}/tasks`, { title: taskTitle, campaignId: pub.id }));
    secrets = [
      w.orgA.name,
      w.orgB.name,
      w.secretariat.name,
      w.orgA.contact_email,
      w.people.coordinator.display_name,
      w.people.coordinator.email,
      w.people.adminA.display_name,
      w.people.adminA.email,
      taskTitle,
      noteA,
      noteB,
      // Per-organisation shares: only the total 4,500 may show.
      "3170.5",
      "3,170.5",
      "៣.១៧០,៥",
      "1329.5",
      "1,329.5",
      "១.៣២៩,៥",
    ];
  }, SETUP_TIMEOUT);

  const home = () => `/coalitions/${w.coalition.slug}`;
  const page = () => `${home()}/campaigns/${pub.slug}`;
  const get = (path: string, headers: Record<string, string> = {}) => ctx.app.request(path, { headers });

  it("the home lists the public campaigns only, in the asked language", async () => {
    const res = await get(`${home()}?lang=en`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(w.coalition.name);
    expect(html).toContain('<h2 id="campaigns">Campaigns</h2>');
    expect(html).toContain(`href="${page()}"`);
    expect(html).not.toContain("Internal planning campaign");
    expect(html).not.toContain("Another coalition");
    const km = await (await get(home(), { "accept-language": "km-KH,km;q=0.9" })).text();
    expect(km).toContain('<html lang="km">');
    expect(km).toContain('<h2 id="campaigns">យុទ្ធនាការ</h2>');
  });

  it("the campaign page shows summary, goals, activities, progress totals and updates, in Khmer and English", async () => {
    const en = await (await get(`${page()}?lang=en`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain("ការពារព្រៃឈើ Protect the forest");
    expect(en).toContain("A march to protect the Prey Lang forest.");
    expect(en).toContain("<li>Stop the logging concession</li>");
    expect(en).toContain("<strong>together</strong>");
    expect(en).toContain("Long march to Kampot");
    expect(en).toContain("Community meeting");
    expect(en).toContain("4,500 of 10,000 ribbons (45%)");
    expect(en).toContain('<span style="width:45%"></span>');
    expect(en).toContain("The first <strong>stage</strong> is done.");
    expect(en).toContain('<h2 id="updates">Updates</h2>');
    const km = await (await get(`${page()}?lang=km`)).text();
    expect(km).toContain('<html lang="km">');
    expect(km).toContain('<h2 id="activities">សកម្មភាព</h2>');
    expect(km).toContain('<h2 id="updates">ព័ត៌មានថ្មីៗ</h2>');
    // Khmer numerals for Khmer readers.
    expect(km).toContain("៤.៥០០ ក្នុងចំណោម ១០.០០០ ribbons (៤៥%)");
  });

  it("draws the march as an SVG route with one labelled stop per stage (place and km), and a title", async () => {
    const html = await (await get(`${page()}?lang=en`)).text();
    const svg = /<svg class="route"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? "";
    expect(svg).toContain('role="img"');
    expect(svg).toContain("<title id=");
    expect(svg).toContain("Route of Long march to Kampot");
    const stops = svg.match(/<g class="stage">[\s\S]*?<\/g>/g) ?? [];
    expect(stops).toHaveLength(stages.length);
    stages.forEach((s, i) => {
      expect(stops[i]).toContain(`>${s.to}</text>`);
      expect(stops[i]).toContain(`${s.distanceKm.toLocaleString("en-GB")} km`);
    });
    expect(svg).toContain(`>${stages[0]?.from}</text>`);
    expect(html).toContain("3 stages, 137.75 km in all");
  });

  it("answers a members-only campaign, an unknown slug and another coalition's campaign with the same 404 page", async () => {
    const bodyOf = async (path: string, slug: string) => {
      const res = await get(`${path}?lang=en`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("text/html");
      return (await res.text()).replaceAll(slug, "SLUG");
    };
    const members = await bodyOf(`${home()}/campaigns/${membersOnly.slug}`, membersOnly.slug);
    const unknown = await bodyOf(`${home()}/campaigns/no-such-campaign`, "no-such-campaign");
    const theirs = await bodyOf(`${home()}/campaigns/${othersPublic.slug}`, othersPublic.slug);
    expect(unknown).toBe(members);
    expect(theirs).toBe(members);
    expect(members).not.toContain("Internal planning campaign");
    expect((await get(`/coalitions/no-such-coalition?lang=en`)).status).toBe(404);
    // The feed, calendar and image of a members-only campaign do not exist either.
    for (const suffix of ["updates.atom", "calendar.ics", "share.png"])
      expect((await get(`${home()}/campaigns/${membersOnly.slug}/${suffix}`)).status, suffix).toBe(404);
  });

  it("does not mix coalitions that use the same campaign slug", async () => {
    const ours = await (await get(`${home()}/campaigns/${sharedSlug}?lang=en`)).text();
    expect(ours).toContain("Protect the forest");
    expect(ours).not.toContain("Their campaign with our slug");
    const theirs = await (await get(`/coalitions/${w.other.slug}/campaigns/${sharedSlug}?lang=en`)).text();
    expect(theirs).toContain("Their campaign with our slug");
    expect(theirs).not.toContain("Protect the forest");
    expect(theirs).not.toContain("Long march to Kampot");
    expect((await get(`/coalitions/${w.other.slug}/campaigns/${pub.slug}/share.png`)).status).toBe(200);
  });

  it("shows no organisation, person, task, contribution or author on any public page, feed, calendar or image", async () => {
    const answers = await Promise.all(
      [
        `${home()}?lang=en`,
        `${home()}?lang=km`,
        `${page()}?lang=en`,
        `${page()}?lang=km`,
        `${page()}/updates.atom`,
        `${page()}/calendar.ics`,
        `${page()}/share.png?lang=en`,
        `${page()}/share.png?lang=km`,
      ].map(async (path) => {
        const res = await get(path);
        expect(res.status, path).toBe(200);
        return { path, text: Buffer.from(await res.arrayBuffer()).toString("latin1") };
      }),
    );
    // Text answers compared as UTF-8 too (latin1 keeps PNG metadata chunks readable).
    const utf8 = answers.map((a) => ({ path: a.path, text: Buffer.from(a.text, "latin1").toString("utf8") }));
    const leaks: string[] = [];
    for (const a of [...answers, ...utf8]) for (const secret of secrets) if (a.text.includes(secret)) leaks.push(`${a.path}: ${secret}`);
    expect(leaks).toEqual([]);
    // The total is shown (the test would pass vacuously if the page said nothing).
    expect(utf8.find((a) => a.path === `${page()}?lang=en`)?.text).toContain("4,500 of 10,000");
  });

  it("caches: Cache-Control public with stale-while-revalidate, a strong ETag and 304; the ETag changes with the content", async () => {
    const first = await get(`${page()}?lang=en`);
    expect(first.headers.get("cache-control")).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"/);
    const again = await get(`${page()}?lang=en`, { "if-none-match": etag });
    expect(again.status).toBe(304);
    // Through the gzip layer the ETag is weakened; the weak form still matches.
    const gz = await get(`${page()}?lang=en`, { "accept-encoding": "gzip" });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect((await get(`${page()}?lang=en`, { "if-none-match": gz.headers.get("etag") ?? "" })).status).toBe(304);
    await ok(coordinator.post(`/api/coalitions/${w.coalition.id}/campaigns/${pub.id}/updates`, { body: "A second update." }));
    const changed = await get(`${page()}?lang=en`, { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    for (const path of [`${home()}?lang=en`, `${page()}/updates.atom`, `${page()}/calendar.ics`, `${page()}/share.png`]) {
      const res = await get(path);
      expect(res.headers.get("cache-control"), path).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
      const tag = res.headers.get("etag") ?? "";
      expect((await get(path, { "if-none-match": tag })).status, path).toBe(304);
    }
  });

  it("gives the same calendar bytes (and ETag) a minute later: DTSTAMP comes from the data, not the clock", async () => {
    const first = await get(`${page()}/calendar.ics`);
    const body = await first.text();
    expect(body).toMatch(/^DTSTAMP:\d{8}T\d{6}Z/m);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61_000 });
    try {
      const later = await get(`${page()}/calendar.ics`);
      expect(await later.text()).toBe(body);
      expect(later.headers.get("etag")).toBe(first.headers.get("etag"));
    } finally {
      vi.useRealTimers();
    }
  });

  it("serves robots.txt that allows the public pages and nothing else, before the web app's fallback", async () => {
    const res = await get("/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(await res.text()).toBe("User-agent: *\nAllow: /coalitions/\nAllow: /statements/\nAllow: /public/\nDisallow: /\n");
  });

  it("has canonical, hreflang and Open Graph / Twitter meta pointing at the share image", async () => {
    const html = await (await get(`${page()}?lang=km`)).text();
    const origin = ctx.config.publicUrl;
    expect(html).toContain(`<link rel="canonical" href="${origin}${page()}?lang=km"/>`);
    expect(html).toContain(`<link rel="alternate" hreflang="en" href="${origin}${page()}?lang=en"/>`);
    expect(html).toContain(`<link rel="alternate" hreflang="x-default" href="${origin}${page()}"/>`);
    expect(html).toContain(`<meta property="og:image" content="${origin}${page()}/share.png?lang=km"/>`);
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(html).toContain(`<meta property="og:title" content="ការពារព្រៃឈើ Protect the forest"/>`);
  });

  it("generates a 1200×630 PNG share image", async () => {
    const res = await get(`${page()}/share.png?lang=km`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(png.readUInt32BE(20)).toBe(630);
  });

  it("publishes an Atom feed of the updates without authors, and a calendar with one event per activity and per stage", async () => {
    const feed = await get(`${page()}/updates.atom?lang=en`);
    expect(feed.headers.get("content-type")).toContain("application/atom+xml");
    const xml = await feed.text();
    const doc = new DOMParser().parseFromString(xml, "text/xml");
    const entries = doc.getElementsByTagName("entry");
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(xml).toContain("is done.");
    const ics = await (await get(`${page()}/calendar.ics`)).text();
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2 + stages.length);
    expect(ics).toContain("Community meeting");
    expect(ics).toContain("DTSTART;VALUE=DATE:20261211");
    const campaignHtml = await (await get(`${page()}?lang=en`)).text();
    expect(campaignHtml).toContain(`href="webcal://${new URL(ctx.config.publicUrl).host}${page()}/calendar.ics"`);
  });

  describe("with a section registered by another feature", () => {
    const dummy: PublicCampaignSection = {
      id: "petition",
      render: async (c) => html`<div><h2>Dummy petition for ${c.campaign.title} at ${c.basePath}</h2></div>`,
    };
    const empty: PublicCampaignSection = { id: "letter", render: async () => null };
    beforeAll(() => {
      publicCampaignSections.push(dummy, empty);
    });
    afterAll(() => {
      publicCampaignSections.splice(publicCampaignSections.indexOf(dummy), 2);
    });

    it("renders it after the updates and links to it from 'how to join'; a section with nothing to show is left out", async () => {
      const html = await (await get(`${page()}?lang=en`)).text();
      const updates = html.indexOf('<h2 id="updates">');
      const section = html.indexOf(`<section id="petition"><div><h2>Dummy petition for ការពារព្រៃឈើ Protect the forest at ${page()}</h2>`);
      const join = html.indexOf('<h2 id="join">');
      expect(updates).toBeGreaterThan(0);
      expect(section).toBeGreaterThan(updates);
      expect(join).toBeGreaterThan(section);
      expect(html).toContain('<a href="#petition">Sign the petition</a>');
      expect(html).not.toContain('id="letter"');
      expect(html).not.toContain('href="#letter"');
    });
  });

  it("weighs under 60 KiB per page with the server's compression, stylesheet and Khmer font subset included", async () => {
    const sent = async (path: string) => {
      const res = await get(path, { "accept-encoding": "gzip, deflate, br", "accept-language": "km" });
      expect(res.status, path).toBe(200);
      return Buffer.from(await res.arrayBuffer()).length;
    };
    const css = await sent("/public/site.css");
    const cssText = await (await get("/public/site.css")).text();
    // Only the fonts the stylesheet names are downloaded.
    const fonts = [...cssText.matchAll(/url\((\/public\/fonts\/[^)]+)\)/g)].map((m) => m[1] ?? "");
    expect(fonts).toEqual(["/public/fonts/noto-sans-khmer-400.woff2"]);
    let fontBytes = 0;
    for (const f of fonts) fontBytes += await sent(f);
    // A page with Khmer on it has the face inside a second stylesheet instead (layout.tsx, withKhmerFace).
    const khmerCss = await sent("/public/khmer.css");
    const report: string[] = [];
    for (const path of [`${home()}?lang=km`, `${home()}?lang=en`, `${page()}?lang=km`, `${page()}?lang=en`]) {
      const html = await sent(path);
      const face = (await (await get(path)).text()).includes("/public/khmer.css") ? khmerCss : fontBytes;
      const total = html + css + face;
      report.push(
        `${path}: html ${(html / KiB).toFixed(1)} KiB + css ${(css / KiB).toFixed(1)} + face ${(face / KiB).toFixed(1)} = ${(total / KiB).toFixed(1)} KiB`,
      );
      expect(total, path).toBeLessThanOrEqual(60 * KiB);
    }
    // What was measured is the compressed page.
    const gz = await get(`${page()}?lang=km`, { "accept-encoding": "gzip" });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    console.log(`public page weights:\n${report.join("\n")}`);
  });
});
