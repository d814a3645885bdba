/**
 * Mentions are written as `@[Display Name](person-uuid)` (the web app's mention picker inserts
 * them). They render as bold "@Display Name" and notify that person if they are in the coalition.
 */
const MENTION = /@\[([^\]\n]{1,120})\]\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/gi;

export function extractMentions(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((m) => (m[2] ?? "").toLowerCase()).filter(Boolean))];
}

export function renderMentions(body: string): string {
  return body.replace(MENTION, (_all, name: string) => `**@${name.replace(/[*_`[\]]/g, "")}**`);
}
