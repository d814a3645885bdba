/** @jsxImportSource hono/jsx */
import * as paths from "@samakki/shared/paths";
import { PublicSignupForm } from "@samakki/shared/signups";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { AppEnv } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { hasForbiddenCharacters } from "../../lib/input-guard.ts";
import { policies } from "../../lib/policy.ts";
import { clientAddress } from "../../lib/request-meta.ts";
import { createRouter, defineRoute } from "../../lib/route.ts";
import { privateHtml, publicHtml, publicLanguage } from "../public-site/layout.tsx";
import { campaignTitle } from "../public-site/public-site.service.ts";
import { DONE, type Done, EMPTY, type FormValues, InvalidLinkPage, JoinPage, LinkPage, NotFoundPage } from "./signups.pages.tsx";
import * as signups from "./signups.service.ts";

/*
 * The public side of sign-ups: the form under a public campaign (/join), and the pages behind the
 * emailed links. Script-free: plain forms, 303 after a POST, errors re-rendered with the values
 * kept. The link pages only show a button (a POST), so mail scanners that open links do nothing.
 * Pages that carry a person's input or a token are never cached (no-store).
 */

const tags = ["Public site"];
const MAX_FORM_BYTES = 16 * 1024;
const html = { "text/html": { schema: z.string() } };
const campaignParams = z.object({ coalitionSlug: z.string(), campaignSlug: z.string() });
const tokenParams = z.object({ token: z.string() });

/** The form's fields as posted; the error keys name catalog entries, one per field. */
function readForm(raw: string): { values: FormValues; parsed?: ReturnType<typeof PublicSignupForm.parse>; errors: Record<string, string> } {
  const params = new URLSearchParams(raw);
  const values: FormValues = {
    name: params.get("name") ?? "",
    email: params.get("email") ?? "",
    phone: params.get("phone") ?? "",
    guests: params.get("guests") || "0",
    choices: params.getAll("choices").slice(0, 200),
  };
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some(hasForbiddenCharacters)) errors[key] = `signups.public.errors.${key}`;
  }
  if (Object.keys(errors).length > 0) {
    return { values: { ...EMPTY, choices: [] }, errors };
  }
  const result = PublicSignupForm.safeParse(values);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? "name");
      errors[field] = `signups.public.errors.${field in EMPTY ? field : "name"}`;
    }
    return { values, errors };
  }
  return { values, parsed: result.data, errors };
}

async function readBody(c: Context<AppEnv>): Promise<string | undefined> {
  let raw: string | undefined;
  await bodyLimit({ maxSize: MAX_FORM_BYTES, onError: () => Promise.resolve(undefined as never) })(c, async () => {
    raw = await c.req.text();
  });
  return raw;
}

const joinPath = (campaign: signups.PublicCampaign) => paths.publicJoin(campaign.coalition_slug, campaign.slug);

export const publicSignupRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/coalitions/{coalitionSlug}/campaigns/{campaignSlug}/join",
      tags,
      summary: "The sign-up form of a public campaign: its upcoming activities and march stages as choices (HTML, no script)",
      request: { params: campaignParams, query: z.object({ lang: z.string().optional(), done: z.string().optional() }) },
      responses: { 200: { description: "The form", content: html }, 404: { description: "No such public campaign", content: html } },
    }),
    async (c) => {
      const lang = publicLanguage(c);
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const { db } = c.get("deps");
      const campaign = await signups.findPublicCampaign(db, coalitionSlug, campaignSlug);
      if (!campaign) return privateHtml(c, <NotFoundPage lang={lang} path={c.req.path} />, 404);
      const activities = await signups.joinActivities(db, campaign);
      const doneParam = c.req.query("done");
      const done = DONE.find((d) => d === doneParam);
      const page = (
        <JoinPage
          lang={lang}
          path={joinPath(campaign)}
          campaign={campaign}
          activities={activities}
          values={EMPTY}
          errors={{}}
          done={done}
        />
      );
      return publicHtml(c, page, { maxAge: 60 });
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/coalitions/{coalitionSlug}/campaigns/{campaignSlug}/join",
      tags,
      summary:
        "Sign up (application/x-www-form-urlencoded: name, email and/or phone, guests, choices): 303 to the form with a notice; errors re-render the form (400) with the values kept",
      request: { params: campaignParams },
      responses: {
        303: { description: "Signed up; the confirmation is on its way (the same answer whether the address had signed up before)" },
        400: { description: "The form again, with an error per field", content: html },
        404: { description: "No such public campaign", content: html },
        413: { description: "Form too large", content: html },
        429: { description: "Too many sign-ups from this address or for this contact", content: html },
      },
    }),
    async (c) => {
      const lang = publicLanguage(c);
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const deps = c.get("deps");
      const campaign = await signups.findPublicCampaign(deps.db, coalitionSlug, campaignSlug);
      if (!campaign) return privateHtml(c, <NotFoundPage lang={lang} path={c.req.path} />, 404);
      const path = joinPath(campaign);
      const activities = await signups.joinActivities(deps.db, campaign);
      const raw = await readBody(c);
      if (raw === undefined) {
        const errors = { choices: "signups.public.errors.tooLarge" };
        return privateHtml(
          c,
          <JoinPage lang={lang} path={path} campaign={campaign} activities={activities} values={EMPTY} errors={errors} />,
          413,
        );
      }
      const form = readForm(raw);
      const render = (errors: Record<string, string>, status: number) =>
        privateHtml(
          c,
          <JoinPage lang={lang} path={path} campaign={campaign} activities={activities} values={form.values} errors={errors} />,
          status,
        );
      if (!form.parsed) return render(form.errors, 400);
      try {
        const outcome = await signups.submitSignup(deps, { campaign, form: form.parsed, lang, address: clientAddress(c) });
        if (!outcome.ok) return render(outcome.errors, 400);
        return c.redirect(`${paths.withLang(path, lang)}&done=${outcome.emailSent ? "email" : "phone"}`, 303);
      } catch (error) {
        if (error instanceof AppError && error.code === "rate_limited")
          return render({ choices: "signups.public.errors.rateLimited" }, 429);
        throw error;
      }
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/signups/confirm/{token}",
      tags,
      summary: "The page of an emailed confirmation link: a button that confirms (nothing happens on GET)",
      request: { params: tokenParams },
      responses: { 200: { description: "The page", content: html }, 404: { description: "Invalid, used or expired link", content: html } },
    }),
    async (c) => linkPage(c, "confirm"),
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/signups/confirm/{token}",
      tags,
      summary: "Confirm a sign-up (once); 303 to the campaign's sign-up page",
      request: { params: tokenParams },
      responses: { 303: { description: "Confirmed" }, 404: { description: "Invalid, used or expired link", content: html } },
    }),
    async (c) => linkAction(c, "confirm"),
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/signups/cancel/{token}",
      tags,
      summary: "The page of an emailed cancel link: a button that cancels the sign-up (nothing happens on GET)",
      request: { params: tokenParams },
      responses: { 200: { description: "The page", content: html }, 404: { description: "Invalid or used link", content: html } },
    }),
    async (c) => linkPage(c, "cancel"),
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/signups/cancel/{token}",
      tags,
      summary: "Cancel a sign-up: it and its personal data are deleted; 303 to the campaign's sign-up page",
      request: { params: tokenParams },
      responses: { 303: { description: "Cancelled" }, 404: { description: "Invalid or used link", content: html } },
    }),
    async (c) => linkAction(c, "cancel"),
  );

async function linkPage(c: Context<AppEnv>, kind: "confirm" | "cancel") {
  const lang = publicLanguage(c);
  const token = c.req.param("token") ?? "";
  const path = paths.signupLink(kind, token);
  const target = await signups.describeLink(c.get("deps").db, kind, token);
  if (!target) return privateHtml(c, <InvalidLinkPage lang={lang} path={path} />, 404);
  const campaign = campaignTitle(
    {
      title: target.campaign_title,
      second_title: target.campaign_second_title,
      second_title_language: target.campaign_second_title_language,
    },
    lang,
  );
  return privateHtml(c, <LinkPage lang={lang} path={path} kind={kind} activity={target.activity_title} campaign={campaign} />);
}

async function linkAction(c: Context<AppEnv>, kind: "confirm" | "cancel") {
  const lang = publicLanguage(c);
  const token = c.req.param("token") ?? "";
  const { db } = c.get("deps");
  const target = kind === "confirm" ? await signups.confirmByLink(db, token) : await signups.cancelByLink(db, token);
  if (!target) return privateHtml(c, <InvalidLinkPage lang={lang} path={paths.signupLink(kind, token)} />, 404);
  const done: Done = kind === "confirm" ? "confirmed" : "cancelled";
  return c.redirect(`${paths.withLang(paths.publicJoin(target.coalition_slug, target.campaign_slug), lang)}&done=${done}`, 303);
}
