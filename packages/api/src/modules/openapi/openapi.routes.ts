import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/context.ts";
import { policies } from "../../lib/policy.ts";
import { REFERENCE_CSS, renderApiReference } from "./reference.ts";

export const OPENAPI_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "Samakki API",
    version: "1.0.0",
    description:
      "The HTTP API of Samakki. Sign in with POST /api/auth/sign-in; the session cookie authenticates later requests. Mutations need a same-origin Origin header and Content-Type: application/json. Errors are application/problem+json (RFC 9457).",
  },
};

export function openApiRoutes(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "session", { type: "apiKey", in: "cookie", name: "__Host-samakki_session" });
  app.get("/api/openapi.json", policies.public(), (c) => c.json(app.getOpenAPI31Document(OPENAPI_CONFIG)));
  app.get("/api/docs", policies.public(), (c) => c.html(renderApiReference(app.getOpenAPI31Document(OPENAPI_CONFIG))));
  app.get("/api/docs.css", policies.public(), (c) => c.body(REFERENCE_CSS, 200, { "content-type": "text/css; charset=utf-8" }));
}
