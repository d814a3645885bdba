import {
  ClosePetitionInput,
  CorrectPaperSheetInput,
  PaperSheet,
  PaperSheetInput,
  Petition,
  PetitionInput,
  Signer,
  SignerListQuery,
  UpdatePetitionInput,
} from "@samakki/shared/petitions";
import { z } from "zod";
import { Cursor } from "../../lib/cursor.ts";
import { coalitionParams, pathId } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../lib/route.ts";
import { coalitionCtx as ctx } from "../../lib/service-context.ts";
import * as paperSheets from "./petitions.paper-sheets.ts";
import * as petitions from "./petitions.service.ts";
import * as signers from "./petitions.signers.ts";

const tags = ["Petitions"];
const base = "/api/coalitions/{coalitionId}/campaigns/{campaignId}/petition";
const params = coalitionParams.extend({ campaignId: pathId });
const sheetParams = params.extend({ sheetId: pathId });

/**
 * The owners' API. Every route is for members of the coalition (others 404); the service lets
 * owners (coordinators and admins of the co-owner organisations) manage the petition and see its
 * signers, other members see the counts and record paper sheets for their own organisation (403
 * for the rest).
 */
const member = () => policies.coalitionMember();

export const petitionRoutes = createRouter()
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: base,
      tags,
      summary: "The campaign's petition with its counts (online, on paper, by province)",
      request: { params },
      responses: { 200: jsonResponse(Petition) },
    }),
    async (c) => c.json(await petitions.getPetition(ctx(c), c.req.valid("param").campaignId), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "post",
      path: base,
      tags,
      summary: "Create the campaign's petition: bilingual text, target, dates (owners)",
      request: { params, ...jsonBody(PetitionInput) },
      responses: { 201: jsonResponse(Petition, "Created") },
    }),
    async (c) => c.json(await petitions.createPetition(ctx(c), c.req.valid("param").campaignId, c.req.valid("json")), 201),
  )
  .openapi(
    defineRoute(member(), {
      method: "patch",
      path: base,
      tags,
      summary: "Edit the petition while it is open (owners)",
      request: { params, ...jsonBody(UpdatePetitionInput) },
      responses: { 200: jsonResponse(Petition) },
    }),
    async (c) => c.json(await petitions.updatePetition(ctx(c), c.req.valid("param").campaignId, c.req.valid("json")), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "post",
      path: `${base}/close`,
      tags,
      summary: "Close the petition; optionally delete the signers' personal data N days later, keeping counts by province (owners)",
      request: { params, ...jsonBody(ClosePetitionInput) },
      responses: { 200: jsonResponse(Petition) },
    }),
    async (c) => c.json(await petitions.closePetition(ctx(c), c.req.valid("param").campaignId, c.req.valid("json")), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/signers`,
      tags,
      summary: "Signers, newest first (owners)",
      request: { params, query: SignerListQuery.extend({ cursor: Cursor.optional() }) },
      responses: { 200: jsonResponse(z.object({ items: z.array(Signer), nextCursor: z.string().nullable() })) },
    }),
    async (c) => c.json(await signers.listSigners(ctx(c), c.req.valid("param").campaignId, c.req.valid("query")), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/signers.csv`,
      tags,
      summary: "Confirmed signers as CSV, formula-safe (owners)",
      request: { params },
      responses: { 200: { description: "text/csv", content: { "text/csv": { schema: z.string() } } } },
    }),
    async (c) => {
      const body = await signers.exportSignersCsv(ctx(c), c.req.valid("param").campaignId);
      return c.body(body, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="petition-signers.csv"',
      });
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/paper-sheets`,
      tags,
      summary: "Counted paper and thumbprint sheets, with their corrections",
      request: { params },
      responses: { 200: jsonResponse(z.array(PaperSheet)) },
    }),
    async (c) => c.json(await paperSheets.listPaperSheets(ctx(c), c.req.valid("param").campaignId), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "post",
      path: `${base}/paper-sheets`,
      tags,
      summary: "Record a counted paper sheet for your organisation",
      request: { params, ...jsonBody(PaperSheetInput) },
      responses: { 201: jsonResponse(z.object({ id: z.uuid() }), "Recorded") },
    }),
    async (c) => c.json(await paperSheets.recordPaperSheet(ctx(c), c.req.valid("param").campaignId, c.req.valid("json")), 201),
  )
  .openapi(
    defineRoute(member(), {
      method: "patch",
      path: `${base}/paper-sheets/{sheetId}`,
      tags,
      summary: "Correct a paper sheet of your organisation (history kept)",
      request: { params: sheetParams, ...jsonBody(CorrectPaperSheetInput) },
      responses: { 204: noContent },
    }),
    async (c) => {
      const { campaignId, sheetId } = c.req.valid("param");
      await paperSheets.correctPaperSheet(ctx(c), campaignId, sheetId, c.req.valid("json"));
      return c.body(null, 204);
    },
  );
