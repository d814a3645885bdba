/** @jsxImportSource hono/jsx */
import * as paths from "@samakki/shared/paths";
import { formatPublicDate, formatPublicNumber, publicT } from "../public-site/layout.tsx";
import type { PublicCampaignSection } from "../public-site/sections.ts";
import * as signups from "./signups.service.ts";

/** On the public campaign page: people coming per upcoming activity and march stage, and the way to the form. */
export const signupSection: PublicCampaignSection = {
  id: "join",
  async render(ctx) {
    const campaign = await signups.findPublicCampaign(ctx.db, ctx.coalition.slug, ctx.campaign.slug);
    if (!campaign) return null;
    const activities = await signups.joinActivities(ctx.db, campaign);
    if (activities.length === 0) return null;
    const counts = await signups.publicCounts(
      ctx.db,
      activities.map((a) => a.id),
    );
    const people = (activityId: string, position: number | null) =>
      counts.filter((n) => n.activityId === activityId && n.position === position).reduce((sum, n) => sum + n.people, 0);
    const t = publicT(ctx.lang);
    const coming = (n: number) => t("signups.public.coming", { count: n });
    return (
      <section id="join" class="card">
        <h2>{t("signups.public.sectionTitle")}</h2>
        {activities.map((a) => (
          <div key={a.id}>
            <h3>{a.title}</h3>
            <p class="meta">
              {formatPublicDate(a.startsAt.slice(0, 10), ctx.lang, ctx.coalition.timeZone)}
              {a.location ? ` · ${a.location}` : ""}
              {a.value ? ` · ${coming(people(a.id, null))}` : ""}
            </p>
            {a.stages.length > 0 ? (
              <ul>
                {a.stages.map((s) => (
                  <li key={s.value}>
                    {t("signups.public.stageLine", {
                      position: formatPublicNumber(s.position, ctx.lang),
                      date: formatPublicDate(s.date, ctx.lang, ctx.coalition.timeZone),
                      from: s.from,
                      to: s.to,
                    })}{" "}
                    — {coming(people(a.id, s.position))}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ))}
        <p>
          <a class="button" href={paths.withLang(`${ctx.basePath}/join`, ctx.lang)}>
            {t("signups.public.signUp")}
          </a>
        </p>
      </section>
    );
  },
};
