import type { MeCoalition } from "@samakki/shared/auth";

/** The statements pages under /c/:coalitionId/statements (nested routes). */
export function StatementsSection(_props: { coalition: MeCoalition }) {
  return null;
}
