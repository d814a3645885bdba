import type { AppDeps } from "./lib/context.ts";
import { AppError } from "./lib/errors.ts";
import { onError, problemResponse } from "./lib/problem.ts";
import { requestPipeline } from "./lib/request-pipeline.ts";
import { allowedMethods, createRouter } from "./lib/route.ts";
import { auditRoutes } from "./modules/audit/audit.routes.ts";
import { authRoutes } from "./modules/auth/auth.routes.ts";
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
import { traceRequests } from "./modules/metrics/metrics.middleware.ts";
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

export function createApp(deps: AppDeps) {
  const app = createRouter();
  app.onError(onError);
  app.notFound((c) => {
    // An API route at this path, but not for this method: 405 with the methods it takes (RFC 9110 §15.5.6).
    const allowed = c.req.path.startsWith("/api/") ? allowedMethods(app, c.req.path) : [];
    if (allowed.length > 0)
      return problemResponse(c, new AppError("method_not_allowed", c.req.method, { headers: { allow: allowed.join(", ") } }));
    return problemResponse(c, new AppError("not_found", "route"));
  });

  const trace = traceRequests(deps);
  if (trace) app.use("*", trace);
  // Request id and language, body limit, CSRF check, session, input guard; after the route,
  // compression, security headers, the log line and the request's duration (request-pipeline.ts).
  app.use("*", requestPipeline(deps));

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
