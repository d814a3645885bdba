import { NotificationPage } from "@samakki/shared/notifications";
import { infiniteQueryOptions } from "@tanstack/react-query";
import { api, withQuery } from "../../../lib/api-client.ts";
import { notificationsKey } from "./unread-count.ts";

export { notificationsKey, unreadCountQuery } from "./unread-count.ts";

export const notificationsQuery = infiniteQueryOptions({
  queryKey: [...notificationsKey, "list"],
  queryFn: ({ pageParam }) => api.get(withQuery("/api/notifications", { limit: 30, cursor: pageParam }), NotificationPage),
  initialPageParam: null as string | null,
  getNextPageParam: (last) => last.nextCursor,
});

export function markRead(id: string) {
  return api.put(`/api/notifications/${id}/read`);
}

export function markAllRead() {
  return api.post("/api/notifications/read-all");
}
