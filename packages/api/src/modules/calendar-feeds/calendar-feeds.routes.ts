import { createHash } from "node:crypto";
import { CalendarFeed, CalendarFeedLink } from "@samakki/shared/calendar-feeds";
import { z } from "zod";
import { policies, requireRecentAuth } from "../../lib/policy.ts";
import { clientAddress } from "../../lib/request-meta.ts";
import { createRouter, defineRoute, errorResponse, jsonResponse, noContent } from "../../lib/route.ts";
import { currentPerson } from "../../lib/service-context.ts";
import * as feeds from "./calendar-feeds.service.ts";

const tags = ["Account"];

/** Seconds a calendar app may keep the feed before asking again (with If-None-Match). */
const FEED_MAX_AGE = 300;

/** `W/"x"` and `"x"` name the same body (the gzip layer weakens a strong ETag). */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

export const calendarFeedRoutes = createRouter()
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "get",
      path: "/api/me/calendar-feed",
      tags,
      summary: "Whether you have a calendar feed link, when it was made and last fetched (never the link itself)",
      responses: { 200: jsonResponse(CalendarFeed) },
    }),
    async (c) => c.json(await feeds.feedStatus(c.get("deps"), currentPerson(c).id), 200),
  )
  .openapi(
    defineRoute(
      policies.signedIn(),
      {
        method: "post",
        path: "/api/me/calendar-feed",
        tags,
        summary: "Make your secret calendar feed link, or a new one (the old one stops working); answered only this once",
        responses: { 201: jsonResponse(CalendarFeedLink, "The new link") },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => c.json(await feeds.createFeed(c.get("deps"), currentPerson(c).id), 201),
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "delete",
      path: "/api/me/calendar-feed",
      tags,
      summary: "Revoke your calendar feed link: calendar apps get 404 from then on",
      responses: { 204: noContent },
    }),
    async (c) => {
      await feeds.revokeFeed(c.get("deps"), currentPerson(c).id);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/calendar/{token}",
      tags,
      summary: "A person's calendar feed, by its secret link (`<token>.ics`; subscribe with webcal:)",
      description:
        "No session: calendar apps fetch it. What the person sees now in their coalitions: activities and march stages, " +
        "open tasks due (theirs and their organisations'), open votes' closing times, in their language. 404 for an " +
        "unknown, revoked or malformed link and for a disabled account; rate limited per address and per feed (429).",
      request: { params: z.object({ token: z.string().max(100) }) },
      responses: {
        200: { description: "text/calendar", content: { "text/calendar": { schema: z.string() } } },
        304: { description: "Not modified" },
        429: errorResponse(
          "Too many fetches from this address or of this feed (`rate_limited`): try again after the `Retry-After` header's seconds",
        ),
      },
    }),
    async (c) => {
      const body = await feeds.feedCalendar(c.get("deps"), c.req.valid("param").token, clientAddress(c));
      const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
      // Private: a shared cache must not keep one person's feed; short, so changes arrive soon.
      const headers = { "content-type": "text/calendar; charset=utf-8", "cache-control": `private, max-age=${FEED_MAX_AGE}`, etag };
      if (matchesEtag(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);
      return c.body(body, 200, headers);
    },
  );
