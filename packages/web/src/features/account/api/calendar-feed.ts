import { CalendarFeed, CalendarFeedLink } from "@samakki/shared/calendar-feeds";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";

/**
 * The person's secret calendar feed link (shown once, when made). Its own module, imported by the
 * account page's lazy chunk only: account.ts is on the first screen (the two-factor gate).
 */
export const calendarFeedQuery = queryOptions({
  queryKey: ["me", "calendar-feed"],
  queryFn: () => api.get("/api/me/calendar-feed", CalendarFeed),
});

/** Makes the link, or a new one that ends the old (needs a recent sign-in: the API client asks for the password). */
export function createCalendarFeed() {
  return api.postFor("/api/me/calendar-feed", {}, CalendarFeedLink);
}

export function revokeCalendarFeed() {
  return api.delete("/api/me/calendar-feed");
}
