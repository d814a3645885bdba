import type { CoalitionAccess } from "../../lib/context.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import type { Executor } from "../../lib/transaction.ts";
import { canEditCampaign } from "../campaigns/campaigns.access.ts";
import { membershipRole, taskAccessFacts } from "./tasks.repository.ts";

/** Who may do what with a task: one place for the rules, used by the commands and by the task's view. */

interface TaskAccessRow {
  campaign_id: string | null;
  assignee_organisation_id: string | null;
  assignee_person_id: string | null;
}

/** Coordinators edit and assign any task; people of a campaign's co-owner organisations, that campaign's tasks. */
export async function canManage(db: Executor, access: CoalitionAccess, task: { campaign_id: string | null }) {
  if (access.isCoordinator) return true;
  return task.campaign_id ? canEditCampaign(db, access, task.campaign_id) : false;
}

export async function isOrgAdmin(db: Executor, personId: string, organisationId: string | null) {
  if (!organisationId) return false;
  return (await membershipRole(db, personId, organisationId)) === "admin";
}

export type TaskPermissions = Awaited<ReturnType<typeof permissions>>;

/** Who may do what with this task; what the rules need from the database comes in one query (none for a coordinator of an unassigned task). */
export async function permissions(db: Executor, ctx: CoalitionCtx, task: TaskAccessRow) {
  const { access } = ctx;
  const facts = await taskAccessFacts(db, {
    personId: ctx.person.id,
    organisationIds: access.isCoordinator ? [] : access.organisationIds,
    campaignId: task.campaign_id,
    assigneeOrganisationId: task.assignee_organisation_id,
  });
  const manage = access.isCoordinator || facts.coOwner;
  const assigneeAdmin = facts.assigneeRole === "admin";
  const assignee = task.assignee_person_id === ctx.person.id;
  return {
    edit: manage,
    assign: manage,
    delegate: assigneeAdmin,
    // The assignee and the assignee organisation's admins move a task; while nobody is assigned, its managers do.
    changeStatus: assignee || assigneeAdmin || (manage && task.assignee_organisation_id === null),
  };
}
