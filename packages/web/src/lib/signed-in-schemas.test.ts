import * as shared from "@samakki/shared/dashboard";
import { NotificationPage } from "@samakki/shared/notifications";
import { describe, expect, it } from "vitest";
import { itMirrors } from "../test/mirrors.ts";
import * as mini from "./signed-in-schemas.ts";

const pairs = {
  NotificationUnreadCount: [mini.NotificationUnreadCount, NotificationPage.pick({ unreadCount: true })],
  DashboardTask: [mini.DashboardTask, shared.DashboardTask],
  DashboardVote: [mini.DashboardVote, shared.DashboardVote],
  DashboardMetric: [mini.DashboardMetric, shared.DashboardMetric],
  DashboardCampaign: [mini.DashboardCampaign, shared.DashboardCampaign],
  DashboardUpdate: [mini.DashboardUpdate, shared.DashboardUpdate],
  Dashboard: [mini.Dashboard, shared.Dashboard],
} as const;

const task = {
  id: "3b0c6f6e-8c2a-4c1e-9a8e-2f4b8a1d6c00",
  title: "Print banners",
  status: "todo",
  priority: "high",
  dueOn: "2026-12-01",
  overdue: true,
  mine: false,
  campaign: null,
  assigneeOrganisation: {
    id: "3b0c6f6e-8c2a-4c1e-9a8e-2f4b8a1d6c01",
    name: "CCHR",
    shortName: null,
    secondName: { language: "km", name: "មជ្ឈមណ្ឌល" },
  },
  assigneePerson: null,
};
const dashboard = {
  tasks: { items: [task], more: false },
  votes: { items: [], more: false },
  coalitionOverdue: null,
  campaigns: { items: [], more: false },
  updates: { items: [], more: true },
};

describe("the signed-in first screen's zod/mini schemas", () => {
  itMirrors(pairs, mini);

  it("read what the shared schemas read, and refuse what they refuse", () => {
    expect(mini.Dashboard.parse(dashboard)).toEqual(shared.Dashboard.parse(dashboard));
    for (const bad of [
      { ...dashboard, tasks: { items: [{ ...task, status: "finished" }], more: false } },
      { ...dashboard, tasks: { items: [{ ...task, dueOn: "1 December" }], more: false } },
      { ...dashboard, coalitionOverdue: undefined },
      { ...dashboard, updates: { items: [], more: "yes" } },
    ]) {
      expect(mini.Dashboard.safeParse(bad).success).toBe(false);
      expect(shared.Dashboard.safeParse(bad).success).toBe(false);
    }
    expect(mini.NotificationUnreadCount.parse({ items: [], nextCursor: null, unreadCount: 3 })).toEqual({ unreadCount: 3 });
    expect(mini.NotificationUnreadCount.safeParse({ unreadCount: 1.5 }).success).toBe(false);
  });
});
