import {
  type AssignTaskInput,
  type ChangeTaskStatusInput,
  type CreateTaskInput,
  type DelegateTaskInput,
  Task,
  type TaskCommentInput,
  type UpdateTaskInput,
} from "@samakki/shared/tasks";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api, type RequestHeaders, withQuery } from "../../../lib/api-client.ts";
import { base, type TaskFilters, type TaskView, taskQueryParams, tasksKey } from "./task-list.ts";

const coalitionPath = (coalitionId: string) => `/api/coalitions/${encodeURIComponent(coalitionId)}`;

const one = (coalitionId: string, taskId: string) => `${base(coalitionId)}/${encodeURIComponent(taskId)}`;

/** The CSV export of the same list: same view and filters, no paging. */
export const tasksCsvUrl = (coalitionId: string, view: TaskView, filters: Partial<TaskFilters>) =>
  withQuery(`${base(coalitionId)}.csv`, taskQueryParams(view, filters));

export const taskQuery = (coalitionId: string, taskId: string) =>
  queryOptions({
    queryKey: [...tasksKey(coalitionId), "one", taskId],
    queryFn: () => api.get(one(coalitionId, taskId), Task),
  });

// The coalition's members, an organisation's people and the campaigns come from their features (one key each).
export { campaignChoicesQuery, campaignQuery } from "../../campaigns/api/campaigns.ts";
export { membersQuery } from "../../coalition-members/api/members.ts";
export { organisationPeopleQuery } from "../../organisations/api/organisation.ts";

/** Everyone in the coalition who can be mentioned, by name: one small request whatever the coalition's size. */
export const directoryQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "directory"],
    queryFn: () => api.get(`${coalitionPath(coalitionId)}/directory`, z.array(z.object({ personId: z.string(), displayName: z.string() }))),
    staleTime: 5 * 60_000,
  });

export function createTask(coalitionId: string, input: z.input<typeof CreateTaskInput>) {
  return api.postFor(base(coalitionId), input, Task);
}

/** `headers`: `If-Match` with the revision the edit form was opened on (lib/edit-conflict.tsx). */
export function updateTask(coalitionId: string, taskId: string, input: z.input<typeof UpdateTaskInput>, headers?: RequestHeaders) {
  return api.patchFor(one(coalitionId, taskId), input, Task, headers);
}

export function assignTask(coalitionId: string, taskId: string, organisationId: string | null, personId: string | null) {
  const body: z.input<typeof AssignTaskInput> = { organisationId, personId };
  return api.postFor(`${one(coalitionId, taskId)}/assign`, body, Task);
}

export function delegateTask(coalitionId: string, taskId: string, personId: string | null) {
  const body: z.input<typeof DelegateTaskInput> = { personId };
  return api.postFor(`${one(coalitionId, taskId)}/delegate`, body, Task);
}

export function changeTaskStatus(coalitionId: string, taskId: string, status: z.input<typeof ChangeTaskStatusInput>["status"]) {
  return api.postFor(`${one(coalitionId, taskId)}/status`, { status }, Task);
}

export function addComment(coalitionId: string, taskId: string, body: string) {
  const input: z.input<typeof TaskCommentInput> = { body };
  return api.postFor(`${one(coalitionId, taskId)}/comments`, input, z.object({ id: z.string() }));
}

export function watchTask(coalitionId: string, taskId: string) {
  return api.put(`${one(coalitionId, taskId)}/watch`);
}

export function unwatchTask(coalitionId: string, taskId: string) {
  return api.delete(`${one(coalitionId, taskId)}/watch`);
}
