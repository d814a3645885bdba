import { createMiddleware } from "hono/factory";
import { readBody } from "./lib/body.ts";
import { compression } from "./lib/compression.ts";
import type { AppDeps, AppEnv } from "./lib/context.ts";
import { AppError } from "./lib/errors.ts";
import { inputGuard } from "./lib/input-guard.ts";
import { onError, problemResponse } from "./lib/problem.ts";
import { requestContext } from "./lib/request-log.ts";
import { createRouter } from "./lib/route.ts";
import { csrfProtection } from "./lib/security.ts";
import { auditRoutes } from "./modules/audit/audit.routes.ts";
import { authRoutes } from "./modules/auth/auth.routes.ts";
import { sessionMiddleware } from "./modules/auth/sessions.service.ts";
import { calendarFeedRoutes } from "./modules/calendar-feeds/calendar-feeds.routes.ts";
import { campaignRoutes } from "./modules/campaigns/campaigns.routes.ts";
import { coalitionRoutes } from "./modules/coalitions/coalitions.routes.ts";
import { dashboardRoutes } from "./modules/dashboard/dashboard.routes.ts";
import { devMailboxRoutes } from "./modules/email/dev-mailbox.routes.ts";
import { outboxRoutes } from "./modules/email/outbox.routes.ts";
import { exportRoutes } from "./modules/export/export.routes.ts";
import { healthRoutes } from "./modules/health/health.routes.ts";
import { invitationRoutes } from "./modules/invitations/invitations.routes.ts";
import { publicLetterRoutes } from "./modules/letters/letters.public.tsx";
import { letterRoutes } from "./modules/letters/letters.routes.ts";
import { observeRequests } from "./modules/metrics/metrics.middleware.ts";
import { metricsRoutes } from "./modules/metrics/metrics.routes.ts";
import { notificationRoutes } from "./modules/notifications/notifications.routes.ts";
import { openApiRoutes } from "./modules/openapi/openapi.routes.ts";
import { operatorRoutes } from "./modules/operators/operators.routes.ts";
import { organisationRoutes } from "./modules/organisations/organisations.routes.ts";
import { passkeyRoutes } from "./modules/passkeys/passkeys.routes.ts";
import { petitionPublicRoutes } from "./modules/petitions/petitions.public.routes.tsx";
import { petitionRoutes } from "./modules/petitions/petitions.routes.ts";
import { publicSiteRoutes } from "./modules/public-site/pages.routes.tsx";
import { publicSiteAssetRoutes } from "./modules/public-site/public-site.routes.ts";
import { setupRoutes } from "./modules/setup/setup.routes.ts";
import { publicSignupRoutes } from "./modules/signups/public.routes.tsx";
import { signupRoutes } from "./modules/signups/signups.routes.ts";
import { publicStatementRoutes } from "./modules/statements/public.routes.ts";
import { statementRoutes } from "./modules/statements/statements.routes.ts";
import { taskRoutes } from "./modules/tasks/tasks.routes.ts";
import { staticRoutes } from "./modules/web/static.routes.ts";

/** Language of the signed-in person wins over the browser's, unless the client says otherwise. */
const personLanguage = createMiddleware<AppEnv>(async (c, next) => {
  const person = c.get("person");
  if (person && !c.req.header("x-samakki-language")) c.set("lang", person.language);
  await next();
});

export function createApp(deps: AppDeps) {
  const app = createRouter();
  app.onError(onError);
  app.notFound((c) => problemResponse(c, new AppError("not_found", "route")));

  const observe = observeRequests(deps);
  if (observe) app.use("*", observe);
  // The request id, the language, the security headers (security.ts) and the request's log line.
  app.use("*", requestContext(deps));
  // gzip above 1 KB for JSON and server-rendered pages; static files come precompressed (static.routes.ts).
  app.use("*", compression);
  // Bodies over 256 KiB are refused (413); a JSON body is read once, straight from Node's request.
  app.use("/api/*", readBody);
  app.use("/api/*", csrfProtection);
  app.use("/api/*", sessionMiddleware);
  app.use("/api/*", personLanguage);
  app.use("/dev/*", sessionMiddleware);
  // After the CSRF check and the body limit, before any route reads its input (and in the person's language).
  app.use("*", inputGuard);

  app.route("/", healthRoutes);
  app.route("/", setupRoutes);
  app.route("/", authRoutes);
  app.route("/", passkeyRoutes);
  app.route("/", invitationRoutes);
  app.route("/", coalitionRoutes);
  app.route("/", organisationRoutes);
  app.route("/", campaignRoutes);
  app.route("/", taskRoutes);
  app.route("/", statementRoutes);
  app.route("/", petitionRoutes);
  app.route("/", petitionPublicRoutes);
  app.route("/", publicStatementRoutes);
  app.route("/", publicSiteAssetRoutes);
  app.route("/", publicSiteRoutes);
  app.route("/", notificationRoutes);
  app.route("/", auditRoutes);
  app.route("/", letterRoutes);
  app.route("/", publicLetterRoutes);
  app.route("/", outboxRoutes);
  app.route("/", devMailboxRoutes);
  app.route("/", signupRoutes);
  app.route("/", publicSignupRoutes);
  app.route("/", dashboardRoutes);
  app.route("/", metricsRoutes);
  app.route("/", operatorRoutes);
  app.route("/", exportRoutes);
  app.route("/", calendarFeedRoutes);
  openApiRoutes(app);
  app.route("/", staticRoutes(deps));
  return app;
}
