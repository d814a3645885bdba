import { SetupInput, SetupStatus } from "@samakki/shared/auth";
import { z } from "zod";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../lib/route.ts";
import { setSessionCookie } from "../auth/sessions.service.ts";
import { isSetupNeeded, runSetup } from "./setup.service.ts";

const tags = ["Setup"];

export const setupRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/api/setup",
      tags,
      summary: "Whether first-run setup is still needed",
      responses: { 200: jsonResponse(SetupStatus) },
    }),
    async (c) => c.json({ needed: await isSetupNeeded(c.get("deps").db) }, 200),
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/api/setup",
      tags,
      summary: "Create the first coalition, organisation and coordinator (only while none exists)",
      request: jsonBody(SetupInput),
      responses: { 201: jsonResponse(z.object({ coalitionId: z.uuid() }), "Created") },
    }),
    async (c) => {
      const result = await runSetup(c.get("deps"), c.req.valid("json"), c.req.header("user-agent") ?? "");
      setSessionCookie(c, result.session.token, result.session.absoluteExpiresAt);
      return c.json({ coalitionId: result.coalition.id }, 201);
    },
  );
