import { TaskSummary } from "@samakki/shared/tasks";
import { infiniteQueryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api, withQuery } from "../../../lib/api-client.ts";

// The task lists alone, kept apart from the rest of the tasks API: the dashboard's card loads this file up front.

export const base = (coalitionId: string) => `/api/coalitions/${encodeURIComponent(coalitionId)}/tasks`;

/** Every cached task answer of a coalition starts with this key (the campaign page uses it too). */
export const tasksKey = (coalitionId: string) => ["tasks", coalitionId] as const;

export const TASK_VIEWS = ["mine", "organisation", "all", "overdue"] as const;
export type TaskView = (typeof TASK_VIEWS)[number];
export const FILTER_NAMES = ["status", "organisationId", "personId", "priority", "dueBefore", "label", "campaignId"] as const;
export type TaskFilters = Record<(typeof FILTER_NAMES)[number], string>;
export const OPEN_STATUSES = "todo,in_progress,blocked";

export const taskQueryParams = (view: TaskView, filters: Partial<TaskFilters>) => ({ view, ...filters });

/** Every task list (the lists, the board, the dashboard's card) starts with this key. */
export const taskListsKey = (coalitionId: string) => [...tasksKey(coalitionId), "list"] as const;
/** Every campaign page's task list starts with this key. */
export const campaignTasksKey = (coalitionId: string) => [...tasksKey(coalitionId), "campaign-page"] as const;

const Page = z.object({ items: z.array(TaskSummary), nextCursor: z.string().nullable() });
export const taskListQuery = (coalitionId: string, view: TaskView, filters: Partial<TaskFilters>, limit = 50) =>
  infiniteQueryOptions({
    queryKey: [...taskListsKey(coalitionId), view, filters, limit],
    queryFn: ({ pageParam }) =>
      api.get(withQuery(base(coalitionId), { ...taskQueryParams(view, filters), cursor: pageParam, limit }), Page),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** A campaign's tasks, for its page (the tasks section has the board and the filters). */
export const campaignTasksQuery = (coalitionId: string, campaignId: string) =>
  infiniteQueryOptions({
    queryKey: [...campaignTasksKey(coalitionId), campaignId],
    queryFn: ({ pageParam }) => api.get(withQuery(base(coalitionId), { campaignId, cursor: pageParam, limit: 20 }), Page),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
