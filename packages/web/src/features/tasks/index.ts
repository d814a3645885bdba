/** What other features may use of tasks: a campaign's task list, cached under the tasks' key so task changes refresh it. */
export { campaignTasksQuery } from "./api/task-list.ts";
