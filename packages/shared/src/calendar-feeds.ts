import { z } from "zod";
import { IsoDateTime } from "./common.ts";

/**
 * A person's secret calendar feed (issue 10, item 13): whether it exists, when it was made and
 * when a calendar app last fetched it. The link itself is shown once, when made or rotated.
 */
export const CalendarFeed = z.object({
  active: z.boolean(),
  createdAt: IsoDateTime.nullable(),
  lastFetchedAt: IsoDateTime.nullable(),
});
export type CalendarFeed = z.infer<typeof CalendarFeed>;

/** The new link, shown once: https for "subscribe by URL", and the same as webcal: for calendar apps. */
export const CalendarFeedLink = z.object({
  url: z.url(),
  webcalUrl: z.string().startsWith("webcal://"),
  createdAt: IsoDateTime,
});
export type CalendarFeedLink = z.infer<typeof CalendarFeedLink>;

/** 32 random bytes (256 bits) in lower-case base32 without padding: 52 characters. */
export const CALENDAR_FEED_TOKEN = /^[a-z2-7]{52}$/;
