/** @jsxImportSource hono/jsx */
import type { Language } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import { SignPetitionForm } from "@samakki/shared/petitions";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { type AppEnv, now } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { hasForbiddenCharacters } from "../../lib/input-guard.ts";
import { policies } from "../../lib/policy.ts";
import { clientAddress } from "../../lib/request-meta.ts";
import { createRouter, defineRoute } from "../../lib/route.ts";
import { privateHtml, publicHtml, publicLanguage, publicT } from "../public-site/layout.tsx";
import { NotFoundPage } from "../public-site/pages.tsx";
import { emptyForm, MessagePage, PetitionPage, type SignFormState, TokenPage } from "./petitions.pages.tsx";
import * as petitions from "./petitions.signing.ts";
import { createPowChallenge } from "./pow.ts";
import { POW_WIDGET_JS } from "./pow-widget.ts";

const tags = ["Public pages"];
const html = (description: string) => ({ description, content: { "text/html": { schema: z.string() } } });
const pagePath = "/coalitions/{coalitionSlug}/campaigns/{campaignSlug}/petition";
const pageParams = z.object({ coalitionSlug: z.string().max(200), campaignSlug: z.string().max(200) });
const tokenParams = z.object({ token: z.string().max(200) });
const MAX_FORM_BYTES = 16 * 1024;

/**
 * The same page for an unknown coalition, campaign or petition and for a campaign that is not
 * public: the public site's own not-found page (it once said that a statement was missing).
 */
function notFoundPage(c: Context<AppEnv>, lang: Language) {
  return privateHtml(c, <NotFoundPage lang={lang} path={c.req.path} />, 404);
}

/** 410 for an emailed link that cannot be used (unknown, used, expired, or the petition closed). */
function invalidLinkPage(c: Context<AppEnv>, lang: Language, kind: "confirm" | "withdraw") {
  const t = publicT(lang);
  const title = kind === "confirm" ? t("petitions.public.confirmTitle") : t("petitions.public.withdrawTitle");
  return privateHtml(c, <MessagePage lang={lang} path={c.req.path} title={title} message={t("petitions.public.invalidLink")} error />, 410);
}

async function renderPetition(c: Context<AppEnv>, lang: Language, petition: petitions.PublicPetition, form: SignFormState, status = 200) {
  const { db } = c.get("deps");
  const { counts, recent } = await petitions.publicView(db, petition);
  const page = (
    <PetitionPage
      lang={lang}
      petition={petition}
      phase={petitions.phaseOf(petition, now(c.get("deps")))}
      counts={counts}
      recent={recent}
      form={form}
      signed={c.req.query("signed") === "1"}
    />
  );
  // A form sent back with its errors holds what the person typed: never cached.
  return status === 200 && form === emptyForm ? publicHtml(c, page, { maxAge: 60 }) : privateHtml(c, page, status);
}

const FIELD_MESSAGES: Record<string, string> = {
  name: "petitions.public.errors.name",
  email: "petitions.public.errors.email",
  province: "petitions.public.errors.province",
  comment: "petitions.public.errors.comment",
};

function formValues(body: Record<string, unknown>): SignFormState["values"] {
  const text = (v: unknown) => (typeof v === "string" && !hasForbiddenCharacters(v) ? v.slice(0, 2000) : "");
  return {
    name: text(body.name),
    email: text(body.email),
    province: text(body.province),
    comment: text(body.comment),
    showName: body.showName === "on",
  };
}

const limitBody = () =>
  bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: () => {
      throw new AppError("payload_too_large");
    },
  });

const router = createRouter();
// Public forms: small bodies only (the API's own limit covers /api/* alone).
router.use(pagePath.replace(/\{(\w+)\}/g, ":$1"), limitBody());
router.use("/petitions/*", limitBody());

export const petitionPublicRoutes = router
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/public/petition-pow.js",
      tags,
      summary: "The proof-of-work script of the petition form (self-hosted, about 1 KiB)",
      responses: { 200: { description: "JavaScript", content: { "text/javascript": { schema: z.string() } } } },
    }),
    (c) => c.body(POW_WIDGET_JS, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" }),
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: pagePath,
      tags,
      summary: "A public campaign's petition: text, count, progress, chart by province, recent names, the signing form",
      request: { params: pageParams },
      responses: { 200: html("The petition page"), 404: html("Not a public campaign with a petition") },
    }),
    async (c) => {
      const lang = publicLanguage(c);
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const petition = await petitions.findPublicPetition(c.get("deps").db, coalitionSlug, campaignSlug);
      if (!petition) return notFoundPage(c, lang);
      return renderPetition(c, lang, petition, emptyForm);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: pagePath,
      tags,
      summary: "Sign (form post, works without JavaScript): 303 to the page, or the form again with its errors",
      request: { params: pageParams },
      responses: {
        303: { description: "Signed: see the page" },
        200: html("The form with its errors"),
        404: html("Not a public campaign with a petition"),
      },
    }),
    async (c) => {
      const lang = publicLanguage(c);
      const deps = c.get("deps");
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const petition = await petitions.findPublicPetition(deps.db, coalitionSlug, campaignSlug);
      if (!petition) return notFoundPage(c, lang);
      // A malformed body (a multipart post whose boundary does not match, say) is the signer's
      // mistake, not the server's: the form again, empty, with a 400.
      // (A body over the limit is not one of them: limitBody answers it 413 whatever this returns.)
      const body = await c.req.parseBody().catch(() => undefined);
      if (!body) return renderPetition(c, lang, petition, { ...emptyForm, formError: "petitions.public.unreadable" }, 400);
      const values = formValues(body);
      const parsed = SignPetitionForm.safeParse({
        name: values.name,
        email: values.email,
        province: values.province,
        comment: values.comment,
        showName: values.showName ? "on" : undefined,
        altcha: typeof body.altcha === "string" && body.altcha ? body.altcha : undefined,
      });
      if (!parsed.success) {
        const errors: Record<string, string> = {};
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? "");
          errors[field] = FIELD_MESSAGES[field] ?? "petitions.public.errors.pow";
        }
        return renderPetition(c, lang, petition, { values, errors }, 400);
      }
      if (petitions.phaseOf(petition, now(deps)) !== "open") return renderPetition(c, lang, petition, emptyForm, 409);
      try {
        const outcome = await petitions.sign(deps, petition, parsed.data, { lang, address: clientAddress(c) });
        if (!outcome.ok) {
          const errors = Object.fromEntries(outcome.fieldErrors.map((e) => [e.path, e.message]));
          return renderPetition(c, lang, petition, { values, errors }, 400);
        }
      } catch (error) {
        if (error instanceof AppError && error.code === "rate_limited") {
          return renderPetition(c, lang, petition, { values, errors: {}, formError: "petitions.public.rateLimited" }, 429);
        }
        throw error;
      }
      return c.redirect(`${paths.withLang(paths.publicPetition(coalitionSlug, campaignSlug), lang)}&signed=1#sign`, 303);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: `${pagePath}/challenge`,
      tags,
      summary: "A fresh proof-of-work challenge for the signing form (ALTCHA format; never cached)",
      request: { params: pageParams },
      responses: {
        200: {
          description: "The challenge",
          content: {
            "application/json": {
              schema: z.object({
                algorithm: z.string(),
                challenge: z.string(),
                maxnumber: z.number(),
                salt: z.string(),
                signature: z.string(),
              }),
            },
          },
        },
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const { coalitionSlug, campaignSlug } = c.req.valid("param");
      const petition = await petitions.findPublicPetition(deps.db, coalitionSlug, campaignSlug);
      if (!petition) throw new AppError("not_found", "petition");
      const challenge = await createPowChallenge(deps.db, now(deps));
      return c.json(challenge, 200, { "cache-control": "no-store" });
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/petitions/confirm/{token}",
      tags,
      summary: "The emailed confirmation link: a page with a button (prefetching the link confirms nothing)",
      request: { params: tokenParams },
      responses: { 200: html("The page with the button"), 410: html("The link cannot be used") },
    }),
    async (c) => {
      const lang = publicLanguage(c);
      const found = await petitions.lookupToken(c.get("deps").db, "confirm", c.req.valid("param").token);
      if (!found?.petition_open || (found.status === "pending" && !found.confirm_valid)) {
        return invalidLinkPage(c, lang, "confirm");
      }
      // Used already: said so, without the signer's name (a forwarded email, a mail scanner or a
      // browser's history keeps the link; it must not keep telling who signed).
      if (found.status !== "pending") {
        const t = publicT(lang);
        return privateHtml(
          c,
          <MessagePage
            lang={lang}
            path={c.req.path}
            title={t("petitions.public.confirmTitle")}
            message={t("petitions.public.alreadyConfirmed")}
          />,
        );
      }
      const petition = lang === "km" ? found.title_km : found.title_en;
      return privateHtml(c, <TokenPage lang={lang} path={c.req.path} kind="confirm" petition={petition} name={found.name} />);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/petitions/confirm/{token}",
      tags,
      summary: "Confirm a signature (single use, 7 days, only while the petition is open)",
      request: { params: tokenParams },
      responses: { 200: html("Confirmed"), 410: html("The link cannot be used") },
    }),
    async (c) => {
      const lang = publicLanguage(c);
      const t = publicT(lang);
      const { db } = c.get("deps");
      const token = c.req.valid("param").token;
      const found = await petitions.lookupToken(db, "confirm", token);
      const outcome = await petitions.confirm(db, token);
      const link = found
        ? {
            href: paths.withLang(paths.publicPetition(found.coalition_slug, found.campaign_slug), lang),
            label: t("petitions.public.viewPetition"),
          }
        : undefined;
      if (outcome === "invalid") {
        return invalidLinkPage(c, lang, "confirm");
      }
      const message = outcome === "confirmed" ? t("petitions.public.confirmed") : t("petitions.public.alreadyConfirmed");
      return privateHtml(
        c,
        <MessagePage
          lang={lang}
          path={c.req.path}
          title={t("petitions.public.confirmTitle")}
          message={message}
          {...(link ? { link } : {})}
        />,
      );
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/petitions/withdraw/{token}",
      tags,
      summary: "The emailed withdrawal link: a page with a button",
      request: { params: tokenParams },
      responses: { 200: html("The page with the button"), 410: html("The link cannot be used") },
    }),
    async (c) => {
      const lang = publicLanguage(c);
      const found = await petitions.lookupToken(c.get("deps").db, "withdraw", c.req.valid("param").token);
      if (!found) {
        return invalidLinkPage(c, lang, "withdraw");
      }
      const petition = lang === "km" ? found.title_km : found.title_en;
      return privateHtml(c, <TokenPage lang={lang} path={c.req.path} kind="withdraw" petition={petition} name={found.name} />);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/petitions/withdraw/{token}",
      tags,
      summary: "Withdraw a signature: it is deleted with the signer's details",
      request: { params: tokenParams },
      responses: { 200: html("Withdrawn"), 410: html("The link cannot be used") },
    }),
    async (c) => {
      const lang = publicLanguage(c);
      const t = publicT(lang);
      const ok = await petitions.withdraw(c.get("deps").db, c.req.valid("param").token);
      return privateHtml(
        c,
        <MessagePage
          lang={lang}
          path={c.req.path}
          title={t("petitions.public.withdrawTitle")}
          message={ok ? t("petitions.public.withdrawn") : t("petitions.public.invalidLink")}
          error={!ok}
        />,
        ok ? 200 : 410,
      );
    },
  );
