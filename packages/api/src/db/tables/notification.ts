import type { Generated, JSONColumnType } from "kysely";

export interface NotificationTable {
  id: Generated<string>;
  person_id: string;
  coalition_id: string | null;
  kind: string;
  message_key: string;
  params: JSONColumnType<Record<string, string | number>, Record<string, string | number>, Record<string, string | number>>;
  link: string | null;
  read_at: Date | null;
  created_at: Generated<Date>;
  emailed_at: Generated<Date | null>;
}
