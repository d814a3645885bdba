/** @jsxImportSource hono/jsx */
import { localName, localUnit } from "@samakki/shared/names";
import * as paths from "@samakki/shared/paths";
import { z } from "zod";
import { AppError } from "../../lib/errors.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute } from "../../lib/route.ts";
import { atomFeed } from "../statements/atom.ts";
import { formatPublicDate, formatPublicNumber, publicBody, publicHtml, publicLanguage, publicT } from "./layout.tsx";
import { CampaignPage, HomePage, NotFoundPage, type RenderedSection } from "./pages.tsx";
import { campaignCalendar, campaignTitle, coalitionNameOf, progressOf, publicCampaign, publicHome } from "./public-site.service.ts";
import { type PublicCampaignContext, publicCampaignSections } from "./sections.ts";
import { renderSharePng } from "./share-image.ts";

const tags = ["Public pages"];
const text = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string() } } });

const ROBOTS = "User-agent: *\nAllow: /coalitions/\nAllow: /statements/\nAllow: /public/\nDisallow: /\n";

const langQuery = z.object({
  lang: z.string().optional().openapi({ description: "km or en; otherwise the Accept-Language header decides" }),
});
const homeParams = z.object({ coalitionSlug: z.string() });
const campaignParams = homeParams.extend({ campaignSlug: z.string() });
const campaignBase = "/coalitions/{coalitionSlug}/campaigns/{campaignSlug}";
/**
 * Slugs are lowercase letters, digits and hyphens (lib/slug.ts, the campaign schema): anything else
 * (too long, other characters, a lone surrogate the database would refuse) is not looked up.
 */
const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;
const plausible = (...slugs: string[]) => slugs.every((s) => SLUG.test(s));

async function renderSections(ctx: PublicCampaignContext): Promise<RenderedSection[]> {
  const rendered: RenderedSection[] = [];
  for (const section of publicCampaignSections) {
    const element = await section.render(ctx);
    if (element) rendered.push({ id: section.id, element });
  }
  return rendered;
}

/** A page or 404 with the same not-found page for whatever was not found. */
async function orNotFound<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return undefined;
    throw error;
  }
}

/**
 * The public site: a coalition's home, its public campaigns' pages, their feeds, calendars and
 * share images, and robots.txt. Server-rendered, no script, cacheable by a CDN (ETag, 304).
 */
export const publicSiteRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/robots.txt",
      tags,
      summary: "Robots rules: the public pages may be crawled, nothing else",
      responses: { 200: text("text/plain", "The rules") },
    }),
    (c) => publicBody(c, ROBOTS, "text/plain; charset=utf-8", { maxAge: 86400 }),
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/coalitions/{coalitionSlug}",
      tags,
      summary: "A coalition's public home: its public campaigns and published statements (HTML)",
      request: { params: homeParams, query: langQuery },
      responses: { 200: text("text/html", "The page"), 404: text("text/html", "The not-found page") },
    }),
    async (c) => {
      const { coalitionSlug } = c.req.valid("param");
      const lang = publicLanguage(c);
      const path = paths.publicCoalition(coalitionSlug);
      const home = plausible(coalitionSlug) ? await orNotFound(() => publicHome(c.get("deps").db, coalitionSlug)) : undefined;
      if (!home) return publicHtml(c, <NotFoundPage lang={lang} path={path} />, { status: 404, maxAge: 60 });
      return publicHtml(c, <HomePage lang={lang} home={home} />);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: campaignBase,
      tags,
      summary: "A public campaign's page: summary, goals, activities and march routes, progress, updates, actions (HTML)",
      request: { params: campaignParams, query: langQuery },
      responses: { 200: text("text/html", "The page"), 404: text("text/html", "The not-found page (members-only campaigns too)") },
    }),
    async (c) => {
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const { db, config } = c.get("deps");
      const lang = publicLanguage(c);
      const path = paths.publicCampaign(coalitionSlug, campaignSlug);
      const view = plausible(coalitionSlug, campaignSlug)
        ? await orNotFound(() => publicCampaign(db, coalitionSlug, campaignSlug))
        : undefined;
      if (!view) return publicHtml(c, <NotFoundPage lang={lang} path={path} />, { status: 404, maxAge: 60 });
      const v = view.campaign;
      const sections = await renderSections({
        db,
        lang,
        coalition: { id: v.coalition_id, slug: v.coalition_slug, name: v.coalition_name, timeZone: v.time_zone },
        campaign: { id: v.id, slug: v.slug, title: campaignTitle(v, lang) },
        basePath: paths.publicCampaign(v.coalition_slug, v.slug),
      });
      const webcalUrl = `${config.publicUrl.replace(/^https?:/, "webcal:")}${path}/calendar.ics`;
      return publicHtml(c, <CampaignPage lang={lang} view={view} sections={sections} webcalUrl={webcalUrl} />);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: `${campaignBase}/updates.atom`,
      tags,
      summary: "Atom feed of a public campaign's updates",
      request: { params: campaignParams, query: langQuery },
      responses: { 200: text("application/atom+xml", "The feed") },
    }),
    async (c) => {
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const { db, config } = c.get("deps");
      if (!plausible(coalitionSlug, campaignSlug)) throw new AppError("not_found", "feed");
      const view = await publicCampaign(db, coalitionSlug, campaignSlug, 50);
      const lang = publicLanguage(c);
      const t = publicT(lang);
      const v = view.campaign;
      const page = `${config.publicUrl}${paths.publicCampaign(v.coalition_slug, v.slug)}`;
      const xml = atomFeed({
        id: `${page}/updates.atom`,
        title: campaignTitle(v, lang),
        author: v.coalition_name,
        selfLink: `${page}/updates.atom`,
        updated: view.updates[0]?.createdAt ?? v.updated_at,
        entries: view.updates.map((u) => ({
          id: `${page}#update-${u.id}`,
          title: t("publicSite.feed.updateTitle", {
            title: campaignTitle(v, lang),
            date: formatPublicDate(u.createdAt, lang, v.time_zone),
          }),
          link: `${page}#update-${u.id}`,
          published: u.createdAt,
          contentHtml: u.html,
        })),
      });
      return publicBody(c, xml, "application/atom+xml; charset=utf-8");
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: `${campaignBase}/calendar.ics`,
      tags,
      summary: "iCalendar of a public campaign: one event per activity and per march stage (subscribe with webcal:)",
      request: { params: campaignParams, query: langQuery },
      responses: { 200: text("text/calendar", "The calendar") },
    }),
    async (c) => {
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const { db, config } = c.get("deps");
      if (!plausible(coalitionSlug, campaignSlug)) throw new AppError("not_found", "calendar");
      const view = await publicCampaign(db, coalitionSlug, campaignSlug, 0);
      const lang = publicLanguage(c);
      const t = publicT(lang);
      const v = view.campaign;
      const page = `${config.publicUrl}${paths.publicCampaign(v.coalition_slug, v.slug)}`;
      const ics = campaignCalendar(view, page, {
        stage: (s) =>
          t("publicSite.calendar.stage", {
            activity: s.activity,
            number: s.position,
            from: s.from,
            to: s.to,
            km: formatPublicNumber(s.distanceKm, "en"),
          }),
      });
      return publicBody(c, ics, "text/calendar; charset=utf-8");
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: `${campaignBase}/share.png`,
      tags,
      summary: "Share image of a public campaign (1200×630 PNG: title, coalition, progress), for link previews",
      request: { params: campaignParams, query: langQuery },
      responses: { 200: { description: "The image", content: { "image/png": { schema: z.string().openapi({ format: "binary" }) } } } },
    }),
    async (c) => {
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const { db, config } = c.get("deps");
      if (!plausible(coalitionSlug, campaignSlug)) throw new AppError("not_found", "image");
      const view = await publicCampaign(db, coalitionSlug, campaignSlug, 0);
      const lang = publicLanguage(c);
      const t = publicT(lang);
      const metric = view.metrics.find((m) => progressOf(m) !== null) ?? view.metrics[0];
      const share = metric ? progressOf(metric) : null;
      const { png } = renderSharePng({
        title: campaignTitle(view.campaign, lang),
        coalition: coalitionNameOf(view.campaign, lang),
        ...(metric
          ? {
              progressLabel:
                metric.target !== null
                  ? t("publicSite.share.progress", {
                      metric: localName(metric, lang),
                      total: formatPublicNumber(metric.total, lang),
                      target: formatPublicNumber(metric.target, lang),
                      unit: localUnit(metric, lang),
                    })
                  : t("publicSite.share.total", {
                      metric: localName(metric, lang),
                      total: formatPublicNumber(metric.total, lang),
                      unit: localUnit(metric, lang),
                    }),
            }
          : {}),
        ...(share !== null ? { progress: share } : {}),
        footer: t("publicSite.share.footer", { host: new URL(config.publicUrl).host }),
      });
      return publicBody(c, png, "image/png", { maxAge: 600 });
    },
  );
