import type { MeCoalition } from "@samakki/shared/auth";

/** The tasks pages under /c/:coalitionId/tasks (nested routes). */
export function TasksSection(_props: { coalition: MeCoalition }) {
  return null;
}
