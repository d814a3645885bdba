import { NotificationPage } from "@samakki/shared/notifications";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { api, withQuery } from "../../../lib/api-client.ts";

/** Every cached answer of this feature (the bell's count, the list) starts with this key, so reading refreshes both. */
export const notificationsKey = ["notifications"] as const;

/** Just the unread count for the bell: one tiny request, refreshed every two minutes while the tab is open. */
export const unreadCountQuery = queryOptions({
  queryKey: [...notificationsKey, "unread"],
  queryFn: () => api.get(withQuery("/api/notifications", { limit: 1, unread: "true" }), NotificationPage).then((page) => page.unreadCount),
  refetchInterval: 120_000,
  staleTime: 30_000,
});

export const notificationsQuery = infiniteQueryOptions({
  queryKey: [...notificationsKey, "list"],
  queryFn: ({ pageParam }) => api.get(withQuery("/api/notifications", { limit: 30, cursor: pageParam }), NotificationPage),
  initialPageParam: null as string | null,
  getNextPageParam: (last) => last.nextCursor,
});

export function markRead(id: string) {
  return api.post(`/api/notifications/${id}/read`);
}

export function markAllRead() {
  return api.post("/api/notifications/read-all");
}
