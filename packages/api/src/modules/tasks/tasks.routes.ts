import {
  AssignTaskInput,
  ChangeTaskStatusInput,
  CreateTaskInput,
  DelegateTaskInput,
  Task,
  TaskCommentInput,
  TaskListQuery,
  TaskSummary,
  UpdateTaskInput,
} from "@samakki/shared/tasks";
import { z } from "zod";
import { Cursor } from "../../lib/cursor.ts";
import { editConflict, IfMatchHeader, revisionResponse, tagged } from "../../lib/if-match.ts";
import { coalitionParams, pathId } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../lib/route.ts";
import { coalitionCtx } from "../../lib/service-context.ts";
import { assignTask, delegateTask } from "./tasks.assignment.ts";
import { addComment } from "./tasks.comments.ts";
import * as tasks from "./tasks.service.ts";

const tags = ["Tasks"];
const base = "/api/coalitions/{coalitionId}/tasks";
const listParams = coalitionParams;
const taskParams = coalitionParams.extend({ taskId: pathId });
const Page = z.object({ items: z.array(TaskSummary), nextCursor: z.string().nullable() });

const ctx = coalitionCtx;
/** Sent again with its Idempotency-Key, answered again and not done twice (modules/idempotency). */
const once = { idempotent: true };

/** A task answered whole, with its revision as the ETag (lib/if-match.ts). */
const taskResponse = (description?: string) => revisionResponse(Task, description);

const member = () => policies.coalitionMember();

export const taskRoutes = createRouter()
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: base,
      tags,
      summary: "Tasks: all, mine, my organisation's, or overdue (coordinators); filters; keyset pagination",
      request: { params: listParams, query: TaskListQuery.extend({ cursor: Cursor.optional() }) },
      responses: { 200: jsonResponse(Page) },
    }),
    async (c) => c.json(await tasks.listTasks(ctx(c), c.req.valid("query")), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}.csv`,
      tags,
      summary: "The filtered task list as CSV (up to 10,000 rows; audited)",
      request: { params: listParams, query: TaskListQuery.omit({ limit: true }) },
      responses: { 200: { description: "text/csv", content: { "text/csv": { schema: z.string() } } } },
    }),
    async (c) => {
      const csv = await tasks.exportTasksCsv(ctx(c), c.req.valid("query"));
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="tasks.csv"',
      });
    },
  )
  .openapi(
    defineRoute(
      member(),
      {
        method: "post",
        path: base,
        tags,
        summary: "Create a task (coordinators; co-owners in their campaigns)",
        request: { params: listParams, ...jsonBody(CreateTaskInput) },
        responses: { 201: taskResponse("Created") },
      },
      once,
    ),
    async (c) => {
      const context = ctx(c);
      const created = await tasks.createTask(context, c.req.valid("json"));
      return c.json(tagged(c, await tasks.getTask(context, created.id)), 201);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{taskId}`,
      tags,
      summary: "A task with its watchers, history and comments",
      request: { params: taskParams },
      responses: { 200: taskResponse() },
    }),
    async (c) => c.json(tagged(c, await tasks.getTask(ctx(c), c.req.valid("param").taskId)), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "patch",
      path: `${base}/{taskId}`,
      tags,
      summary: "Edit title, description, priority, due date or labels (coordinators; co-owners)",
      request: { params: taskParams, headers: IfMatchHeader, ...jsonBody(UpdateTaskInput) },
      responses: { 200: taskResponse(), 412: editConflict },
    }),
    async (c) => {
      const context = ctx(c);
      const { taskId } = c.req.valid("param");
      await tasks.updateTask(context, taskId, c.req.valid("json"), c.req.valid("header")["if-match"]);
      return c.json(tagged(c, await tasks.getTask(context, taskId)), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "post",
      path: `${base}/{taskId}/assign`,
      tags,
      summary: "Assign to an organisation and optionally one of its people (coordinators; co-owners)",
      request: { params: taskParams, ...jsonBody(AssignTaskInput) },
      responses: { 200: taskResponse() },
    }),
    async (c) => {
      const context = ctx(c);
      const { taskId } = c.req.valid("param");
      await assignTask(context, taskId, c.req.valid("json"));
      return c.json(tagged(c, await tasks.getTask(context, taskId)), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "post",
      path: `${base}/{taskId}/delegate`,
      tags,
      summary: "Delegate to one of the assignee organisation's people (its admins)",
      request: { params: taskParams, ...jsonBody(DelegateTaskInput) },
      responses: { 200: taskResponse() },
    }),
    async (c) => {
      const context = ctx(c);
      const { taskId } = c.req.valid("param");
      await delegateTask(context, taskId, c.req.valid("json").personId);
      return c.json(tagged(c, await tasks.getTask(context, taskId)), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "post",
      path: `${base}/{taskId}/status`,
      tags,
      summary: "Change status (the assignee person and the assignee organisation's admins)",
      request: { params: taskParams, ...jsonBody(ChangeTaskStatusInput) },
      responses: { 200: taskResponse() },
    }),
    async (c) => {
      const context = ctx(c);
      const { taskId } = c.req.valid("param");
      const known = await tasks.changeStatus(context, taskId, c.req.valid("json").status);
      return c.json(tagged(c, await tasks.getTask(context, taskId, known)), 200);
    },
  )
  .openapi(
    defineRoute(
      member(),
      {
        method: "post",
        path: `${base}/{taskId}/comments`,
        tags,
        summary: "Comment in Markdown; @[Name](personId) mentions notify people of the coalition",
        request: { params: taskParams, ...jsonBody(TaskCommentInput) },
        responses: { 201: jsonResponse(z.object({ id: z.uuid() }), "Posted") },
      },
      once,
    ),
    async (c) => c.json(await addComment(ctx(c), c.req.valid("param").taskId, c.req.valid("json").body), 201),
  )
  .openapi(
    defineRoute(member(), {
      method: "put",
      path: `${base}/{taskId}/watch`,
      tags,
      summary: "Watch the task",
      request: { params: taskParams },
      responses: { 204: noContent },
    }),
    async (c) => {
      await tasks.setWatching(ctx(c), c.req.valid("param").taskId, true);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "delete",
      path: `${base}/{taskId}/watch`,
      tags,
      summary: "Stop watching the task",
      request: { params: taskParams },
      responses: { 204: noContent },
    }),
    async (c) => {
      await tasks.setWatching(ctx(c), c.req.valid("param").taskId, false);
      return c.body(null, 204);
    },
  );
