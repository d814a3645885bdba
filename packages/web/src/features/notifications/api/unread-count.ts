import { queryOptions } from "@tanstack/react-query";
import { api, withQuery } from "../../../lib/api-client.ts";
import { NotificationUnreadCount } from "../../../lib/signed-in-schemas.ts";

/**
 * The bell's count, apart from the notifications list (notifications.ts): the bell is on every
 * signed-in page, so what it imports is in the signed-in chunk, and the list's full zod schema
 * would come with it.
 */

/** Every cached answer of this feature (the bell's count, the list) starts with this key, so reading refreshes both. */
export const notificationsKey = ["notifications"] as const;

/** Just the unread count for the bell: one tiny request, refreshed every two minutes while the tab is open. */
export const unreadCountQuery = queryOptions({
  queryKey: [...notificationsKey, "unread"],
  queryFn: () =>
    api.get(withQuery("/api/notifications", { limit: 1, unread: "true" }), NotificationUnreadCount).then((page) => page.unreadCount),
  refetchInterval: 120_000,
  staleTime: 30_000,
});
