import type { MeCoalition } from "@samakki/shared/auth";

/**
 * Who may create a task, as the API decides (packages/api/src/modules/tasks: createTask refuses
 * unless `canManage`, that is `canEditCampaign`): a coordinator, with or without a campaign; anyone
 * else only in a campaign that one of their organisations in the coalition co-owns (the coalition's
 * `organisations` in /api/me are the same active and observer memberships the API counts).
 */
export function creatableCampaigns<C extends { owners: readonly { id: string }[] }>(coalition: MeCoalition, campaigns: readonly C[]): C[] {
  if (coalition.isCoordinator) return [...campaigns];
  const mine = new Set(coalition.organisations.map((o) => o.id));
  return campaigns.filter((c) => c.owners.some((o) => mine.has(o.id)));
}

/** Whether the person may create any task at all (campaigns: the choices the task form offers). */
export function canCreateTasks(coalition: MeCoalition, campaigns: readonly { owners: readonly { id: string }[] }[]): boolean {
  return coalition.isCoordinator || creatableCampaigns(coalition, campaigns).length > 0;
}
