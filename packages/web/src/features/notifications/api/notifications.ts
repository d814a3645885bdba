import { NotificationPage } from "@samakki/shared/notifications";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { api, withQuery } from "../../../lib/api-client.ts";

/** Just the unread count for the bell: one tiny request, refreshed every two minutes while the tab is open. */
export const unreadCountQuery = queryOptions({
  queryKey: ["notifications", "unread"],
  queryFn: () => api.get(withQuery("/api/notifications", { limit: 1, unread: "true" }), NotificationPage).then((page) => page.unreadCount),
  refetchInterval: 120_000,
  staleTime: 30_000,
});

export const notificationsQuery = infiniteQueryOptions({
  queryKey: ["notifications", "list"],
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
