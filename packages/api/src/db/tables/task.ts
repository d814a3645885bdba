import type { TaskPriority, TaskStatus } from "@samakki/shared/tasks";
import type { Generated } from "kysely";

export interface TaskTable {
  id: Generated<string>;
  coalition_id: string;
  campaign_id: string | null;
  title: string;
  description: Generated<string>;
  status: Generated<TaskStatus>;
  priority: Generated<TaskPriority>;
  due_on: string | null;
  assignee_organisation_id: string | null;
  assignee_person_id: string | null;
  labels: Generated<string[]>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  reminded_due_at: Date | null;
  reminded_overdue_at: Date | null;
  /** Up by one with every edit of the fields PATCH changes (migration 20261205T100000Z-edit-revisions). */
  revision: Generated<number>;
}

export interface TaskWatcherTable {
  task_id: string;
  person_id: string;
  created_at: Generated<Date>;
}

export interface TaskEventTable {
  id: Generated<string>;
  task_id: string;
  actor_id: string | null;
  field: string;
  before: unknown;
  after: unknown;
  created_at: Generated<Date>;
}

export interface TaskCommentTable {
  id: Generated<string>;
  task_id: string;
  author_id: string;
  body: string;
  created_at: Generated<Date>;
}
