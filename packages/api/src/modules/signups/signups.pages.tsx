/** @jsxImportSource hono/jsx */
import type { Language } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import { formatPublicDate, formatPublicDateTime, formatPublicNumber, PublicPage, publicT } from "../public-site/layout.tsx";
import { campaignTitle, coalitionNameOf } from "../public-site/public-site.service.ts";
import type * as signups from "./signups.service.ts";

/** Server-rendered sign-up pages (hono/jsx escapes every text and attribute): the form, the link pages, not found. They work without JavaScript. */

/** What a finished step shows on the form page (`?done=`). */
export const DONE = ["email", "phone", "confirmed", "cancelled"] as const;
export type Done = (typeof DONE)[number];

export function NotFoundPage({ lang, path }: { lang: Language; path: string }) {
  const t = publicT(lang);
  return (
    <PublicPage lang={lang} title={t("signups.public.notFound")} path={path}>
      <h1>{t("signups.public.notFound")}</h1>
      <p class="muted">{t("signups.public.notFoundHelp")}</p>
    </PublicPage>
  );
}

export type FormValues = { name: string; email: string; phone: string; guests: string; choices: string[] };
export const EMPTY: FormValues = { name: "", email: "", phone: "", guests: "0", choices: [] };

function Field(props: {
  id: keyof FormValues;
  label: string;
  hint?: string;
  error?: string | undefined;
  /** The first field in error: it takes the focus when the page comes back (no script here). */
  focus?: boolean;
  /** Ids of other texts about this field (the contact hint and error, for the email). */
  describedBy?: string[];
  type?: string;
  value: string;
  attrs?: Record<string, string>;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : "", props.error ? `${props.id}-error` : "", ...(props.describedBy ?? [])]
    .filter(Boolean)
    .join(" ");
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <small id={`${props.id}-hint`} class="muted">
          {props.hint}
        </small>
      ) : null}
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? "text"}
        value={props.value}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy || undefined}
        autofocus={props.focus}
        {...(props.attrs ?? {})}
      />
      {props.error ? (
        <span id={`${props.id}-error`} class="error">
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

/** The form's fields in their order on the page. */
const JOIN_FIELDS = ["choices", "name", "contact", "email", "phone", "guests"] as const;

export function JoinPage(props: {
  lang: Language;
  path: string;
  campaign: signups.PublicCampaign;
  activities: signups.JoinActivity[];
  values: FormValues;
  errors: Record<string, string>;
  done?: Done | undefined;
}) {
  const { lang, campaign, activities, values, errors } = props;
  const t = publicT(lang);
  // A local wall time of the coalition's zone ("2026-12-02T07:00"): written as it is, in the reader's digits.
  const when = (local: string) => formatPublicDateTime(`${local.slice(0, 16)}:00Z`, lang, "UTC");
  const hasErrors = Object.keys(errors).length > 0;
  // The first field in error, in the page's order, takes the focus (a missing contact: the email field).
  const first = JOIN_FIELDS.find((field) => errors[field]);
  const firstChoice = first === "choices" ? (activities[0]?.value ?? activities[0]?.stages[0]?.value) : undefined;
  const title = t("signups.public.title", { campaign: campaignTitle(campaign, lang) });
  return (
    <PublicPage lang={lang} title={title} description={t("signups.public.intro")} path={props.path} invalid={hasErrors}>
      <p class="meta">
        <a href={paths.withLang(paths.publicCampaign(campaign.coalition_slug, campaign.slug), lang)}>{campaignTitle(campaign, lang)}</a> ·{" "}
        {coalitionNameOf(campaign, lang)}
      </p>
      <h1>{title}</h1>
      {props.done ? (
        <p class="notice" role="status">
          {t(`signups.public.done.${props.done}`)}
        </p>
      ) : null}
      {hasErrors ? (
        <p class="error" role="alert">
          {t("signups.public.errors.summary")}
        </p>
      ) : null}
      {activities.length === 0 ? (
        <p class="muted">{t("signups.public.nothingUpcoming")}</p>
      ) : (
        <form method="post" action={paths.withLang(props.path, lang)} class="stack" novalidate>
          <fieldset class="card" aria-describedby={errors.choices ? "choices-error" : undefined}>
            <legend>{t("signups.public.choose")}</legend>
            {errors.choices ? (
              <p id="choices-error" class="error">
                {t(errors.choices)}
              </p>
            ) : null}
            {activities.map((a) => (
              <div key={a.id} class="stack">
                <h2>{a.title}</h2>
                <p class="meta">
                  {when(a.startsAt)}
                  {a.location ? ` · ${a.location}` : ""}
                </p>
                {a.value ? (
                  <div class="field">
                    <label>
                      <input
                        type="checkbox"
                        name="choices"
                        value={a.value}
                        checked={values.choices.includes(a.value)}
                        autofocus={a.value === firstChoice}
                      />
                      {t("signups.public.wholeActivity")}
                    </label>
                  </div>
                ) : null}
                {a.stages.map((s) => (
                  <div key={s.value} class="field">
                    <label>
                      <input
                        type="checkbox"
                        name="choices"
                        value={s.value}
                        checked={values.choices.includes(s.value)}
                        autofocus={s.value === firstChoice}
                      />
                      {t("signups.public.stageLine", {
                        position: formatPublicNumber(s.position, lang),
                        date: formatPublicDate(s.date, lang, campaign.time_zone),
                        from: s.from,
                        to: s.to,
                      })}
                    </label>
                  </div>
                ))}
              </div>
            ))}
          </fieldset>
          <Field
            id="name"
            label={t("signups.public.name")}
            value={values.name}
            error={errors.name ? t(errors.name) : undefined}
            focus={first === "name"}
            attrs={{ autocomplete: "name", maxlength: "120" }}
          />
          <p class="muted" id="contact-hint">
            {t("signups.public.contactHint")}
          </p>
          {errors.contact ? (
            <p id="contact-error" class="error">
              {t(errors.contact)}
            </p>
          ) : null}
          <Field
            id="email"
            type="email"
            label={t("signups.public.email")}
            value={values.email}
            error={errors.email ? t(errors.email) : undefined}
            focus={first === "email" || first === "contact"}
            describedBy={["contact-hint", errors.contact ? "contact-error" : ""]}
            attrs={{ autocomplete: "email", maxlength: "254" }}
          />
          <Field
            id="phone"
            type="tel"
            label={t("signups.public.phone")}
            value={values.phone}
            error={errors.phone ? t(errors.phone) : undefined}
            focus={first === "phone"}
            describedBy={["contact-hint"]}
            attrs={{ autocomplete: "tel", maxlength: "32" }}
          />
          <Field
            id="guests"
            type="number"
            label={t("signups.public.guests")}
            hint={t("signups.public.guestsHint")}
            value={values.guests}
            error={errors.guests ? t(errors.guests) : undefined}
            focus={first === "guests"}
            attrs={{ min: "0", max: "50", inputmode: "numeric" }}
          />
          <p class="muted">{t("signups.public.privacy")}</p>
          <button type="submit" class="button">
            {t("signups.public.submit")}
          </button>
        </form>
      )}
    </PublicPage>
  );
}

export function LinkPage(props: { lang: Language; path: string; kind: "confirm" | "cancel"; activity: string; campaign: string }) {
  const t = publicT(props.lang);
  const title = t(`signups.public.${props.kind}.title`);
  return (
    <PublicPage lang={props.lang} title={title} path={props.path}>
      <h1>{title}</h1>
      <p>{t(`signups.public.${props.kind}.text`, { activity: props.activity, campaign: props.campaign })}</p>
      <form method="post" action={paths.withLang(props.path, props.lang)}>
        <button type="submit" class="button">
          {t(`signups.public.${props.kind}.button`)}
        </button>
      </form>
    </PublicPage>
  );
}

export function InvalidLinkPage({ lang, path }: { lang: Language; path: string }) {
  const t = publicT(lang);
  return (
    <PublicPage lang={lang} title={t("signups.public.invalidLink")} path={path}>
      <h1>{t("signups.public.invalidLink")}</h1>
      <p class="muted">{t("signups.public.invalidLinkHelp")}</p>
    </PublicPage>
  );
}
