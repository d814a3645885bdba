/** @jsxImportSource hono/jsx */
import { createHmac, randomBytes } from "node:crypto";
import type { Language } from "@samakki/shared/i18n/index";
import { PROVINCE_PATTERN } from "@samakki/shared/letters";
import * as paths from "@samakki/shared/paths";
import { provinceName, provincesSorted } from "@samakki/shared/provinces";
import type { Context } from "hono";
import { z } from "zod";
import { type AppEnv, now } from "../../lib/context.ts";
import { parseId } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { clientAddress } from "../../lib/request-meta.ts";
import { createRouter, defineRoute } from "../../lib/route.ts";
import type { Executor } from "../../lib/transaction.ts";
import { hit } from "../auth/rate-limit.ts";
import { PublicPage, publicHtml, publicLanguage, publicT } from "../public-site/layout.tsx";
import { findPublicCampaign } from "../public-site/public-site.repository.ts";
import { campaignTitle } from "../public-site/public-site.service.ts";
import type { PublicCampaignContext, PublicCampaignSection } from "../public-site/sections.ts";
import { startedCounts } from "./actions.repository.ts";
import { countStart, publicActions, publicTarget, publicTargets } from "./public.repository.ts";

/**
 * How many letters one address may add to the public "letters started" count, per letter an hour:
 * a family or an office behind one address writes to a province's few members; a phone network's
 * shared address is why it is not one.
 */
const START_LIMIT = { perAddress: 20, windowSeconds: 3600 } as const;

/**
 * The counter's key for an address: an HMAC under a key that lives only in this process's memory
 * and is replaced every window. What the database keeps cannot be tied back to an address (a plain
 * hash of an IPv4 address is found again by trying them all), even by whoever holds the database:
 * who wrote to a representative is not recorded. Each instance counts on its own, so the bound is
 * per instance.
 */
let startKey = { secret: randomBytes(32), until: 0 };
function startCounterKey(actionId: string, address: string, nowMs: number): string {
  if (nowMs >= startKey.until) startKey = { secret: randomBytes(32), until: nowMs + START_LIMIT.windowSeconds * 1000 };
  return `letter-start:${createHmac("sha256", startKey.secret).update(`${actionId}\n${address}`).digest("hex")}`;
}

/**
 * The public side of letter actions: a supporter picks their province, sees its members of
 * parliament and gets the letter pre-filled, to send from their own email app (mailto:) or to
 * print. Samakki sends nothing on their behalf. The mailto link goes through a GET that adds one
 * to a per-action, per-day counter and redirects; nothing about the visitor is stored or logged.
 * Works without JavaScript (a GET form); no third-party anything.
 */

type PublicAction = Awaited<ReturnType<typeof publicActions>>[number];
type PublicTarget = Awaited<ReturnType<typeof publicTargets>>[number];

const tags = ["Public pages"];
const base = "/coalitions/{coalitionSlug}/campaigns/{campaignSlug}/letter";
const params = z.object({ coalitionSlug: z.string().max(100), campaignSlug: z.string().max(100) });
const html = (description: string) => ({ description, content: { "text/html": { schema: z.string() } } });

const targetName = (t: { name_km: string; name_en: string }, lang: Language) =>
  lang === "km" ? t.name_km || t.name_en : t.name_en || t.name_km;
const subjectOf = (a: PublicAction, lang: Language) => (lang === "km" ? a.subject_km || a.subject_en : a.subject_en || a.subject_km);
const bodyOf = (a: PublicAction, lang: Language) => (lang === "km" ? a.body_km || a.body_en : a.body_en || a.body_km);
/** The letter addressed to one person: `{name}` in the text becomes their name. */
const letterFor = (a: PublicAction, t: PublicTarget, lang: Language) => bodyOf(a, lang).replaceAll("{name}", targetName(t, lang));

/** The coalition's calendar day, for the per-day counter. */
function dayIn(timeZone: string, at: Date): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

async function load(db: Executor, coalitionSlug: string, campaignSlug: string, actionId: string | undefined) {
  const campaign = await findPublicCampaign(db, coalitionSlug, campaignSlug);
  if (!campaign) return undefined;
  const actions = await publicActions(db, campaign.id);
  const action = actionId ? actions.find((a) => a.id === actionId) : actions[0];
  if (!action) return undefined;
  return { campaign, actions, action };
}

function notFoundPage(c: Context<AppEnv>, lang: Language, path: string) {
  const t = publicT(lang);
  return publicHtml(
    c,
    <PublicPage lang={lang} title={t("publicLetters.notFound")} path={path}>
      <h1>{t("publicLetters.notFound")}</h1>
    </PublicPage>,
    { status: 404, maxAge: 60 },
  );
}

export const publicLetterRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: base,
      tags,
      summary: "Write to your members of parliament: pick a province, get the letter pre-filled (mailto: or print)",
      request: {
        params,
        query: z.object({
          lang: z.string().optional(),
          province: z.string().max(10).optional(),
          action: z.string().max(40).optional(),
          target: z.string().max(40).optional(),
        }),
      },
      responses: { 200: html("The page"), 404: html("Not a public campaign with letters") },
    }),
    async (c) => {
      const lang = publicLanguage(c);
      const t = publicT(lang);
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const q = c.req.valid("query");
      const basePath = paths.publicCampaign(coalitionSlug, campaignSlug);
      const path = paths.publicLetter(coalitionSlug, campaignSlug);
      const actionId = parseId(q.action);
      const found = await load(c.get("deps").db, coalitionSlug, campaignSlug, actionId);
      if (!found || (q.action && !actionId)) return notFoundPage(c, lang, path);
      const { campaign, actions, action } = found;
      const db = c.get("deps").db;
      const province = q.province && PROVINCE_PATTERN.test(q.province) ? q.province : undefined;
      // Asked (the form sends `province`, empty when none was chosen) without a province that is one.
      const provinceInvalid = q.province !== undefined && !province;
      const targets = province ? await publicTargets(db, action.id, province) : [];
      const targetId = parseId(q.target);
      const printTarget = targetId ? await publicTarget(db, action.id, targetId) : undefined;
      const started = Number((await startedCounts(db, [action.id]))[0]?.started ?? 0);
      const withLang = (p: string) => paths.withLang(p, lang);
      const title = t("publicLetters.title", { campaign: campaignTitle(campaign, lang) });
      // This page as it is now (its letter, province or recipient), for the links to the other language.
      const here = printTarget
        ? `${path}?action=${action.id}&target=${printTarget.id}`
        : `${path}?action=${action.id}${province ? `&province=${province}` : ""}`;

      if (printTarget) {
        return publicHtml(
          c,
          <PublicPage lang={lang} title={`${subjectOf(action, lang)} — ${targetName(printTarget, lang)}`} path={here}>
            <p class="noprint">
              <a class="tap" href={withLang(`${path}?action=${action.id}&province=${printTarget.province ?? ""}`)}>
                {t("publicLetters.back")}
              </a>
            </p>
            <p class="notice noprint">{t("publicLetters.printHint")}</p>
            <article class="letter">
              <p>{targetName(printTarget, lang)}</p>
              {printTarget.role ? <p>{printTarget.role}</p> : null}
              {printTarget.postal_address ? <p>{printTarget.postal_address}</p> : null}
              <h1>{subjectOf(action, lang)}</h1>
              {letterFor(action, printTarget, lang)
                .split(/\n{2,}/)
                .map((para, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of a fixed text, never reordered
                  <p key={i}>{para}</p>
                ))}
            </article>
          </PublicPage>,
          { maxAge: 60 },
        );
      }

      return publicHtml(
        c,
        <PublicPage
          lang={lang}
          title={title}
          description={t("publicLetters.intro")}
          path={here}
          og={{ title, description: t("publicLetters.intro") }}
          invalid={provinceInvalid}
        >
          <p>
            <a class="tap" href={withLang(basePath)}>
              {campaignTitle(campaign, lang)}
            </a>
          </p>
          <h1>{title}</h1>
          <p>{t("publicLetters.intro")}</p>
          <p class="meta">{t("publicLetters.started", { count: started })}</p>
          <form method="get" action={path} class="card">
            <input type="hidden" name="lang" value={lang} />
            {actions.length > 1 ? (
              <div class="field">
                <label for="action">{t("publicLetters.whichLetter")}</label>
                <select id="action" name="action">
                  {actions.map((a) => (
                    <option key={a.id} value={a.id} selected={a.id === action.id}>
                      {subjectOf(a, lang) || a.title}
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <input type="hidden" name="action" value={action.id} />
            )}
            <div class="field">
              <label for="province">{t("publicLetters.province")}</label>
              <select
                id="province"
                name="province"
                aria-invalid={provinceInvalid ? "true" : undefined}
                aria-describedby={provinceInvalid ? "province-error" : undefined}
                // Sent back for a province not in the list: the choice takes the focus (no script here).
                autofocus={provinceInvalid}
              >
                <option value="">{t("publicLetters.chooseProvince")}</option>
                {provincesSorted(lang).map(({ code }) => (
                  <option key={code} value={code} selected={code === province}>
                    {provinceName(code, lang)}
                  </option>
                ))}
              </select>
              {provinceInvalid ? (
                <span class="error" id="province-error">
                  {t("publicLetters.provinceInvalid")}
                </span>
              ) : null}
            </div>
            <button type="submit" class="button">
              {t("publicLetters.show")}
            </button>
          </form>
          {province ? (
            <section aria-labelledby="targets">
              <h2 id="targets">{t("publicLetters.targetsIn", { province: provinceName(province, lang) })}</h2>
              {targets.length === 0 ? <p class="muted">{t("publicLetters.noTargets")}</p> : null}
              <ul class="stack">
                {targets.map((target) => (
                  <li key={target.id} class="card">
                    <strong>{targetName(target, lang)}</strong>
                    <p class="meta">{[target.role, target.party, target.constituency].filter(Boolean).join(" · ")}</p>
                    <p>
                      {target.email ? (
                        <a class="button" rel="nofollow" href={`${path}/start?action=${action.id}&target=${target.id}&lang=${lang}`}>
                          {t("publicLetters.writeEmail")}
                        </a>
                      ) : null}{" "}
                      <a class="tap" rel="nofollow" href={withLang(`${path}?action=${action.id}&target=${target.id}`)}>
                        {t("publicLetters.print")}
                      </a>
                    </p>
                  </li>
                ))}
              </ul>
              <p class="muted">{t("publicLetters.privacy")}</p>
            </section>
          ) : null}
        </PublicPage>,
        { maxAge: 60 },
      );
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: `${base}/start`,
      tags,
      summary: "Count one letter started (per action and day, nothing about who) and redirect to the pre-filled mailto: link",
      request: {
        params,
        query: z.object({ action: z.string().max(40), target: z.string().max(40), lang: z.string().optional() }),
      },
      responses: { 303: { description: "To the mailto: link" }, 404: html("Not a public letter") },
    }),
    async (c) => {
      const lang = publicLanguage(c);
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const q = c.req.valid("query");
      const path = paths.publicLetter(coalitionSlug, campaignSlug);
      const db = c.get("deps").db;
      const actionId = parseId(q.action);
      const targetId = parseId(q.target);
      if (!actionId || !targetId) return notFoundPage(c, lang, path);
      const found = await load(db, coalitionSlug, campaignSlug, actionId);
      const target = found ? await publicTarget(db, found.action.id, targetId) : undefined;
      if (!found || !target?.email) return notFoundPage(c, lang, path);
      // The public number is counted, not trusted: one address adds at most START_LIMIT.perAddress an
      // hour to it (a script reloading the link would make it anything). Past that the link still works.
      const key = startCounterKey(found.action.id, clientAddress(c), now(c.get("deps")).getTime());
      const fromThere = await hit(db, key, START_LIMIT.windowSeconds);
      if (fromThere <= START_LIMIT.perAddress) await countStart(db, found.action.id, dayIn(found.campaign.time_zone, now(c.get("deps"))));
      const mailto = `mailto:${encodeURIComponent(target.email).replace("%40", "@")}?subject=${encodeURIComponent(
        subjectOf(found.action, lang),
      )}&body=${encodeURIComponent(letterFor(found.action, target, lang))}`;
      return c.body(null, 303, { location: mailto, "cache-control": "no-store", "referrer-policy": "no-referrer" });
    },
  );

/** The letter card on the public campaign page: how many letters the page helped start, and the way in. */
export const letterSection: PublicCampaignSection = {
  id: "letter",
  async render(ctx: PublicCampaignContext) {
    const actions = await publicActions(ctx.db, ctx.campaign.id);
    const [first] = actions;
    if (!first) return null;
    const t = publicT(ctx.lang);
    const started = (await startedCounts(ctx.db, [first.id])).reduce((n, r) => n + Number(r.started), 0);
    return (
      <section id="letter" class="card">
        <h2>{t("publicLetters.sectionTitle")}</h2>
        <p>{t("publicLetters.intro")}</p>
        <p class="meta">{t("publicLetters.started", { count: started })}</p>
        <a class="button" href={paths.withLang(`${ctx.basePath}/letter`, ctx.lang)}>
          {t("publicLetters.cta")}
        </a>
      </section>
    );
  },
};
