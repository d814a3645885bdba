/** @jsxImportSource hono/jsx */
import type { Language } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import type { PetitionCounts } from "@samakki/shared/petitions";
import { provinceName, provincesSorted } from "@samakki/shared/provinces";
import { formatPublicDate, formatPublicNumber, PublicPage, publicT } from "../public-site/layout.tsx";
import { campaignTitle, coalitionNameOf, percentReached } from "../public-site/public-site.service.ts";
import type { PetitionPhase, PublicPetition } from "./petitions.signing.ts";

/** Server-rendered petition pages (hono/jsx escapes every text and attribute). They work without JavaScript. */

export interface SignFormState {
  values: { name: string; email: string; province: string; comment: string; showName: boolean };
  errors: Record<string, string>;
  /** A message for the whole form (rate limit). */
  formError?: string;
}

export const emptyForm: SignFormState = { values: { name: "", email: "", province: "", comment: "", showName: false }, errors: {} };

const titleOf = (p: { title_km: string; title_en: string }, lang: Language) =>
  (lang === "km" ? p.title_km : p.title_en) || p.title_en || p.title_km;
const bodyOf = (p: { body_km: string; body_en: string }, lang: Language) =>
  (lang === "km" ? p.body_km : p.body_en) || p.body_en || p.body_km;

/** Progress toward the target as an SVG bar (attributes, not inline styles: the CSP allows no style attribute). */
export function ProgressBar(props: { value: number; target: number; label: string }) {
  const pct = props.target > 0 ? Math.min(100, (props.value / props.target) * 100) : 0;
  return (
    <svg viewBox="0 0 100 4" width="100%" height="14" preserveAspectRatio="none" role="img" aria-label={props.label}>
      <rect width="100" height="4" rx="1" fill="#eee" />
      <rect width={pct.toFixed(2)} height="4" rx="1" fill="#b8860b" />
    </svg>
  );
}

/** Confirmed signatures by province as a horizontal bar chart: online (dark) and on paper (light), stacked. */
export function ProvinceChart(props: { counts: PetitionCounts; lang: Language }) {
  const t = publicT(props.lang);
  const rows = props.counts.byProvince
    .map((p) => ({ ...p, total: p.online + p.paper, name: provinceName(p.province, props.lang) }))
    .filter((p) => p.total > 0)
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  if (rows.length === 0) return <p class="muted">{t("petitions.public.chartEmpty")}</p>;
  const max = Math.max(...rows.map((r) => r.total));
  const rowHeight = 28;
  const labelWidth = 130;
  const barWidth = 170;
  const width = labelWidth + barWidth + 60;
  const height = rows.length * rowHeight + 8;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby="province-chart-title" font-size="13">
      <title id="province-chart-title">{t("petitions.public.chartTitle")}</title>
      {rows.map((r, i) => {
        const y = i * rowHeight + 4;
        const online = (r.online / max) * barWidth;
        const paper = (r.paper / max) * barWidth;
        return (
          <g key={r.province}>
            <text x={labelWidth - 6} y={y + 17} text-anchor="end" fill="#1b1f23">
              {r.name}
            </text>
            <rect x={labelWidth} y={y + 4} width={online.toFixed(1)} height="18" fill="#8a6508" />
            <rect x={(labelWidth + online).toFixed(1)} y={y + 4} width={paper.toFixed(1)} height="18" fill="#e2c56e" />
            <text x={(labelWidth + online + paper + 4).toFixed(1)} y={y + 17} fill="#1b1f23">
              {formatPublicNumber(r.total, props.lang)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function Totals(props: { counts: PetitionCounts; target: number; lang: Language }) {
  const t = publicT(props.lang);
  const n = (v: number) => formatPublicNumber(v, props.lang);
  const percent = percentReached(props.counts.total, props.target);
  return (
    <div class="stack">
      <p>
        <strong>{t("petitions.public.counted", { count: props.counts.total })}</strong>
        <br />
        <span class="meta">{t("petitions.public.onlinePaper", { online: n(props.counts.online), paper: n(props.counts.paper) })}</span>
      </p>
      <ProgressBar value={props.counts.total} target={props.target} label={t("petitions.public.progressLabel")} />
      <p class="meta">{t("petitions.public.target", { percent: n(percent), target: props.target })}</p>
    </div>
  );
}

function Field(props: { id: string; label: string; error?: string | undefined; hint?: string; children: unknown }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children as never}
      {props.hint ? (
        <span class="meta" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span class="error" id={`${props.id}-error`}>
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

/** The form's fields in their order on the page. */
const SIGN_FIELDS = ["name", "email", "province", "comment"] as const;

function SignForm(props: { lang: Language; action: string; state: SignFormState }) {
  const t = publicT(props.lang);
  const { values, errors } = props.state;
  const err = (field: string) => (errors[field] ? t(errors[field]) : undefined);
  // The first field in error takes the focus when the page comes back (no script here: autofocus).
  const first = SIGN_FIELDS.find((field) => errors[field]);
  const described = (field: string, hint?: boolean) =>
    [hint ? `${field}-hint` : "", errors[field] ? `${field}-error` : ""].filter(Boolean).join(" ") || undefined;
  const invalid = (field: string, hint?: boolean) => ({
    "aria-describedby": described(field, hint),
    ...(errors[field] ? { "aria-invalid": "true", autofocus: field === first } : {}),
  });
  return (
    <form
      method="post"
      // To the form again: a page sent back with its errors opens at them, not at the top of the page.
      action={`${paths.withLang(props.action, props.lang)}#sign`}
      id="sign"
      data-pow-url={`${props.action}/challenge`}
      accept-charset="utf-8"
      // The server's messages, in the page's language beside each field, not the browser's bubbles.
      novalidate
    >
      <h2>{t("petitions.public.signTitle")}</h2>
      {props.state.formError ? <p class="notice error">{t(props.state.formError)}</p> : null}
      {Object.keys(errors).length > 0 && !props.state.formError ? <p class="notice error">{t("petitions.public.errorsTitle")}</p> : null}
      <Field id="name" label={t("petitions.public.name")} error={err("name")}>
        <input id="name" name="name" type="text" autocomplete="name" required maxlength={120} value={values.name} {...invalid("name")} />
      </Field>
      <Field id="email" label={t("petitions.public.email")} error={err("email")} hint={t("petitions.public.emailHint")}>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="email"
          required
          maxlength={254}
          value={values.email}
          {...invalid("email", true)}
        />
      </Field>
      <Field id="province" label={t("petitions.public.province")} error={err("province")}>
        <select id="province" name="province" required {...invalid("province")}>
          <option value="">{t("petitions.public.chooseProvince")}</option>
          {provincesSorted(props.lang).map((p) => (
            <option key={p.code} value={p.code} selected={values.province === p.code}>
              {p[props.lang]}
            </option>
          ))}
        </select>
      </Field>
      <Field id="comment" label={t("petitions.public.comment")} error={err("comment")}>
        <textarea id="comment" name="comment" rows={3} maxlength={1000} {...invalid("comment")}>
          {values.comment}
        </textarea>
      </Field>
      <div class="field">
        <label>
          <input type="checkbox" name="showName" value="on" checked={values.showName} />
          {t("petitions.public.showName")}
        </label>
      </div>
      <input type="hidden" name="altcha" value="" />
      {errors.altcha ? <p class="error">{t(errors.altcha)}</p> : null}
      {/* Its line is kept, shown only while the widget works (pow-widget.ts): the button below never moves. */}
      <p class="meta pow-status" data-pow-status>
        {t("petitions.public.powWorking")}
      </p>
      <noscript>
        <p class="meta">{t("petitions.public.powNoScript")}</p>
      </noscript>
      <button class="button" type="submit">
        {t("petitions.public.submit")}
      </button>
    </form>
  );
}

export function PetitionPage(props: {
  lang: Language;
  petition: PublicPetition;
  phase: PetitionPhase;
  counts: PetitionCounts;
  recent: { name: string; province: string }[];
  form: SignFormState;
  signed: boolean;
}) {
  const { lang, petition } = props;
  const t = publicT(lang);
  const title = titleOf(petition, lang);
  const path = paths.publicPetition(petition.coalition_slug, petition.campaign_slug);
  const date = (d: string) => formatPublicDate(d, lang, petition.time_zone);
  const paragraphs = bodyOf(petition, lang)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const description = paragraphs[0]?.slice(0, 200) ?? title;
  return (
    <PublicPage
      lang={lang}
      title={t("petitions.public.title", { title })}
      description={description}
      path={path}
      og={{ title, description }}
      invalid={Object.keys(props.form.errors).length > 0 || props.form.formError !== undefined}
    >
      <header>
        <p>
          <a class="tap" href={paths.withLang(paths.publicCampaign(petition.coalition_slug, petition.campaign_slug), lang)}>
            {campaignTitle(
              {
                title: petition.campaign_title,
                second_title: petition.campaign_second_title,
                second_title_language: petition.campaign_second_title_language,
              },
              lang,
            )}
          </a>{" "}
          · {coalitionNameOf(petition, lang)}
        </p>
        <h1>{title}</h1>
        <p class="meta">{t("petitions.public.opensCloses", { opens: date(petition.opens_on), closes: date(petition.closes_on) })}</p>
      </header>
      <Totals counts={props.counts} target={petition.target} lang={lang} />
      <section class="stack">
        {paragraphs.map((p, i) => (
          <p key={String(i)}>{p}</p>
        ))}
      </section>
      {props.phase === "open" ? (
        props.signed ? (
          // In the form's place, where the redirect's #sign lands: above the fold on a phone, not
          // scrolled past with an empty form below it, which read as a failure and a second signature.
          <section id="sign" class="stack">
            <p class="notice" role="status">
              {t("petitions.public.checkEmail")}
            </p>
            <p>
              <a class="tap" href={`${paths.withLang(path, lang)}#sign`}>
                {t("petitions.public.signAnother")}
              </a>
            </p>
          </section>
        ) : (
          <SignForm lang={lang} action={path} state={props.form} />
        )
      ) : props.phase === "not_open" ? (
        <p class="notice">{t("petitions.public.notOpen", { date: date(petition.opens_on) })}</p>
      ) : (
        <p class="notice">{t("petitions.public.closed")}</p>
      )}
      <h2>{t("petitions.public.byProvince")}</h2>
      <ProvinceChart counts={props.counts} lang={lang} />
      <h2>{t("petitions.public.recent")}</h2>
      {props.recent.length > 0 ? (
        <ul>
          {props.recent.map((r, i) => (
            <li key={String(i)}>
              {r.name} <span class="meta">· {provinceName(r.province, lang)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t("petitions.public.recentEmpty")}</p>
      )}
      {props.phase === "open" ? <script src="/public/petition-pow.js" defer /> : null}
    </PublicPage>
  );
}

/** The page an emailed link opens: what it is about and one button (a POST), so mail scanners that prefetch links change nothing. */
export function TokenPage(props: { lang: Language; path: string; kind: "confirm" | "withdraw"; petition: string; name: string }) {
  const t = publicT(props.lang);
  const key = props.kind === "confirm" ? "confirm" : "withdraw";
  return (
    <PublicPage lang={props.lang} title={t(`petitions.public.${key}Title`)} path={props.path}>
      <h1>{t(`petitions.public.${key}Title`)}</h1>
      <p>{t(`petitions.public.${key}Lead`, { petition: props.petition, name: props.name })}</p>
      <form method="post" action={paths.withLang(props.path, props.lang)}>
        <button class="button" type="submit">
          {t(`petitions.public.${key}Button`)}
        </button>
      </form>
    </PublicPage>
  );
}

/** A one-message page: the outcome of a confirmation or withdrawal, or an unusable link. */
export function MessagePage(props: {
  lang: Language;
  path: string;
  title: string;
  message: string;
  error?: boolean;
  link?: { href: string; label: string };
}) {
  return (
    <PublicPage lang={props.lang} title={props.title} path={props.path}>
      <h1>{props.title}</h1>
      <p class={props.error ? "notice error" : "notice"}>{props.message}</p>
      {props.link ? (
        <p>
          <a class="tap" href={props.link.href}>
            {props.link.label}
          </a>
        </p>
      ) : null}
    </PublicPage>
  );
}

/** The petition's card on the public campaign page. */
export function PetitionCard(props: {
  lang: Language;
  petition: { title_km: string; title_en: string; target: number };
  counts: PetitionCounts;
  href: string;
}) {
  const t = publicT(props.lang);
  const title = titleOf(props.petition, props.lang);
  return (
    <section class="card" id="petition">
      <h2>{t("petitions.title")}</h2>
      <p>{t("petitions.public.sectionLead", { title })}</p>
      <Totals counts={props.counts} target={props.petition.target} lang={props.lang} />
      <p>
        <a class="button" href={props.href}>
          {t("petitions.public.sectionLink")}
        </a>
      </p>
    </section>
  );
}
