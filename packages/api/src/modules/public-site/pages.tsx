/** @jsxImportSource hono/jsx */
import type { Language } from "@samakki/shared/i18n/index";
import { localName, localUnit } from "@samakki/shared/names";
import * as paths from "@samakki/shared/paths";
import { raw } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";
import { renderMarkdown } from "../../lib/markdown.ts";
import { formatPublicDate, formatPublicDateTime, formatPublicNumber, PublicPage, publicT } from "./layout.tsx";
import type { publicHome } from "./public-site.service.ts";
import {
  campaignTitle,
  coalitionName,
  coalitionNameOf,
  type PublicCampaignView,
  type PublicMetric,
  percentReached,
  progressOf,
} from "./public-site.service.ts";
import { RouteDiagram } from "./route-diagram.tsx";

/**
 * Markdown the coalition wrote for the public (descriptions, updates), rendered through the
 * sanitiser of lib/markdown.ts (Markdown's tags only; no raw HTML, script, style or handler): the
 * only unescaped HTML on the public pages.
 */
function Markdown(props: { source: string; class?: string }) {
  return <div class={props.class}>{raw(renderMarkdown(props.source))}</div>;
}

type Home = Awaited<ReturnType<typeof publicHome>>;

/** The same page for an unknown coalition or campaign, a members-only campaign, or another coalition's. */
export function NotFoundPage(props: { lang: Language; path: string }) {
  const t = publicT(props.lang);
  return (
    <PublicPage lang={props.lang} title={t("publicSite.notFound.title")} path={props.path}>
      <h1>{t("publicSite.notFound.title")}</h1>
      <p>{t("publicSite.notFound.body")}</p>
    </PublicPage>
  );
}

/** An error that is not the address's: the database out of reach, a form too large, a server fault. */
export function ErrorPage(props: { lang: Language; path: string; title: string; message: string }) {
  return (
    <PublicPage lang={props.lang} title={props.title} path={props.path}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
    </PublicPage>
  );
}

export function HomePage(props: { lang: Language; home: Home }) {
  const { lang, home } = props;
  const t = publicT(lang);
  const path = paths.publicCoalition(home.coalition.slug);
  const name = coalitionName(home.coalition, lang);
  const description = home.coalition.description.trim() || t("publicSite.home.description", { coalition: name });
  return (
    <PublicPage lang={lang} title={name} description={description} path={path} og={{ title: name, description }}>
      <header>
        <h1>{name}</h1>
        {home.coalition.description.trim() ? <p>{home.coalition.description}</p> : null}
      </header>
      <section aria-labelledby="campaigns">
        <h2 id="campaigns">{t("publicSite.home.campaigns")}</h2>
        {home.campaigns.length === 0 ? <p class="muted">{t("publicSite.home.noCampaigns")}</p> : null}
        {home.campaigns.map((c) => (
          <article class="card" key={c.id}>
            <h3>
              <a href={paths.publicCampaign(home.coalition.slug, c.slug)}>{campaignTitle(c, lang)}</a>
            </h3>
            {c.summary ? <p>{c.summary}</p> : null}
            <p class="meta">
              {t(`campaignStatus.${c.status}`)}
              {c.starts_on
                ? ` · ${t("publicSite.campaign.startsOn", { date: formatPublicDate(c.starts_on, lang, home.coalition.time_zone) })}`
                : ""}
            </p>
          </article>
        ))}
      </section>
      <section aria-labelledby="statements">
        <h2 id="statements">{t("publicSite.home.statements")}</h2>
        {home.statements.length === 0 ? (
          <p class="muted">{t("publicSite.home.noStatements")}</p>
        ) : (
          <ul>
            {home.statements.map((s) => (
              <li key={s.id}>
                <a href={paths.publicStatement(s.id)}>{s.title}</a>
                {s.published_at ? <span class="meta"> · {formatPublicDate(s.published_at, lang, home.coalition.time_zone)}</span> : null}
              </li>
            ))}
          </ul>
        )}
        <p class="meta">
          <a href={`${path}/statements.atom`}>{t("publicSite.home.statementsFeed")}</a>
        </p>
      </section>
    </PublicPage>
  );
}

function MetricProgress(props: { metric: PublicMetric; lang: Language }) {
  const { metric, lang } = props;
  const t = publicT(lang);
  const share = progressOf(metric);
  const total = formatPublicNumber(metric.total, lang);
  return (
    <div class="card">
      <h3>{localName(metric, lang)}</h3>
      <p class="meta">
        {metric.target !== null
          ? t("publicSite.campaign.progressOfTarget", {
              total,
              target: formatPublicNumber(metric.target, lang),
              unit: localUnit(metric, lang),
              percent: formatPublicNumber(Math.min(100, percentReached(metric.total, metric.target)), lang),
            })
          : t("publicSite.campaign.progressTotal", { total, unit: localUnit(metric, lang) })}
      </p>
      {share !== null ? (
        <div class="progress" role="presentation">
          <span style={`width:${Math.round(share * 1000) / 10}%`} />
        </div>
      ) : null}
    </div>
  );
}

export interface RenderedSection {
  id: string;
  element: JSX.Element;
}

export function CampaignPage(props: { lang: Language; view: PublicCampaignView; sections: RenderedSection[]; webcalUrl: string }) {
  const { lang, view, sections } = props;
  const t = publicT(lang);
  const c = view.campaign;
  const title = campaignTitle(c, lang);
  const tz = c.time_zone;
  const path = paths.publicCampaign(c.coalition_slug, c.slug);
  const coalition = coalitionNameOf(c, lang);
  const description = c.summary.trim() || t("publicSite.campaign.description", { title, coalition });
  const firstTarget = view.metrics.find((m) => progressOf(m) !== null);
  const ogDescription = firstTarget
    ? `${description} — ${localName(firstTarget, lang)}: ${formatPublicNumber(firstTarget.total, lang)} / ${formatPublicNumber(firstTarget.target ?? 0, lang)}`
    : description;
  const when = (d: Date) => formatPublicDateTime(d, lang, tz);
  const goals = c.goals
    .split(/\n+/)
    .map((g) => g.replace(/^\s*[-*•]\s*/, "").trim())
    .filter(Boolean);
  const webcal = `${path}/calendar.ics`;
  return (
    <PublicPage
      lang={lang}
      title={`${title} · ${coalition}`}
      description={description}
      path={path}
      og={{ title, description: ogDescription, image: paths.withLang(`${path}/share.png`, lang) }}
    >
      <header>
        <p>
          <a class="tap" href={paths.publicCoalition(c.coalition_slug)}>
            {coalition}
          </a>
        </p>
        <h1>{title}</h1>
        {c.summary ? <p>{c.summary}</p> : null}
        <p class="meta">
          {t(`campaignStatus.${c.status}`)}
          {c.starts_on ? ` · ${t("publicSite.campaign.startsOn", { date: formatPublicDate(c.starts_on, lang, tz) })}` : ""}
          {c.ends_on ? ` · ${t("publicSite.campaign.endsOn", { date: formatPublicDate(c.ends_on, lang, tz) })}` : ""}
        </p>
      </header>
      <nav class="noprint" aria-label={t("publicSite.campaign.onThisPage")}>
        <a href="#activities">{t("publicSite.campaign.activities")}</a> · <a href="#progress">{t("publicSite.campaign.progress")}</a> ·{" "}
        <a href="#updates">{t("publicSite.campaign.updates")}</a> · <a href="#join">{t("publicSite.campaign.howToJoin")}</a>
      </nav>
      {goals.length > 0 ? (
        <section aria-labelledby="goals">
          <h2 id="goals">{t("publicSite.campaign.goals")}</h2>
          <ul>
            {goals.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {c.description.trim() ? <Markdown class="stack" source={c.description} /> : null}
      <section aria-labelledby="activities">
        <h2 id="activities">{t("publicSite.campaign.activities")}</h2>
        {view.activities.length === 0 ? <p class="muted">{t("publicSite.campaign.noActivities")}</p> : null}
        {view.activities.map((a) => (
          <article class="card" id={`activity-${a.id}`} key={a.id}>
            <h3>{a.title}</h3>
            <p class="meta">
              {t(`activityKind.${a.kind}`)} · {when(a.startsAt)}
              {a.endsAt ? ` – ${when(a.endsAt)}` : ""}
              {a.location ? ` · ${a.location}` : ""}
            </p>
            {a.description.trim() ? <Markdown source={a.description} /> : null}
            {a.stages.length > 0 ? (
              <figure>
                <RouteDiagram id={a.id} title={a.title} stages={a.stages} lang={lang} timeZone={tz} />
                <figcaption class="meta">
                  {t("publicSite.route.total", {
                    count: a.stages.length,
                    km: formatPublicNumber(a.stages.reduce((s, x) => s + Math.round(x.distanceKm * 100), 0) / 100, lang),
                  })}
                </figcaption>
              </figure>
            ) : null}
          </article>
        ))}
        <p class="meta">
          <a href={webcal} class="noprint">
            {t("publicSite.campaign.calendarDownload")}
          </a>
          {" · "}
          <a href={props.webcalUrl} class="noprint">
            {t("publicSite.campaign.calendarSubscribe")}
          </a>
        </p>
      </section>
      <section aria-labelledby="progress">
        <h2 id="progress">{t("publicSite.campaign.progress")}</h2>
        {view.metrics.length === 0 ? <p class="muted">{t("publicSite.campaign.noMetrics")}</p> : null}
        {view.metrics.map((m) => (
          <MetricProgress metric={m} lang={lang} key={m.id} />
        ))}
      </section>
      <section aria-labelledby="updates">
        <h2 id="updates">{t("publicSite.campaign.updates")}</h2>
        {view.updates.length === 0 ? <p class="muted">{t("publicSite.campaign.noUpdates")}</p> : null}
        {view.updates.map((u) => (
          <article class="card" id={`update-${u.id}`} key={u.id}>
            <p class="meta">{formatPublicDate(u.createdAt, lang, tz)}</p>
            <Markdown source={u.text} />
          </article>
        ))}
        <p class="meta">
          <a href={`${path}/updates.atom`}>{t("publicSite.campaign.updatesFeed")}</a>
        </p>
      </section>
      {sections.map((s) => (
        <section id={s.id} key={s.id}>
          {s.element}
        </section>
      ))}
      <section aria-labelledby="join">
        <h2 id="join">{t("publicSite.campaign.howToJoin")}</h2>
        <ul class="join-list">
          {sections.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`}>{t(`publicSite.campaign.join.${s.id}`)}</a>
            </li>
          ))}
          <li>
            <a href={`#activities`}>{t("publicSite.campaign.join.activities")}</a>
          </li>
          <li>
            <a href={`${path}/updates.atom`}>{t("publicSite.campaign.join.follow")}</a>
          </li>
        </ul>
      </section>
    </PublicPage>
  );
}
