import type { AuditChainHeadTable, AuditEventTable } from "./tables/audit-event.ts";
import type { AuthTokenTable } from "./tables/auth-token.ts";
import type { CoalitionMemberTable } from "./tables/coalition-member.ts";
import type { CoalitionTable } from "./tables/coalition.ts";
import type { CoordinatorTable } from "./tables/coordinator.ts";
import type { DevMailboxTable } from "./tables/dev-mailbox.ts";
import type { InvitationTable } from "./tables/invitation.ts";
import type { MembershipTable } from "./tables/membership.ts";
import type { NotificationTable } from "./tables/notification.ts";
import type { OrganisationTable } from "./tables/organisation.ts";
import type { OutboxEmailTable } from "./tables/outbox-email.ts";
import type { PersonTable } from "./tables/person.ts";
import type { RateLimitTable } from "./tables/rate-limit.ts";
import type { SessionTable } from "./tables/session.ts";

export interface DB {
  person: PersonTable;
  session: SessionTable;
  coalition: CoalitionTable;
  organisation: OrganisationTable;
  coalition_member: CoalitionMemberTable;
  membership: MembershipTable;
  coordinator: CoordinatorTable;
  invitation: InvitationTable;
  auth_token: AuthTokenTable;
  rate_limit: RateLimitTable;
  outbox_email: OutboxEmailTable;
  dev_mailbox: DevMailboxTable;
  notification: NotificationTable;
  audit_event: AuditEventTable;
  audit_chain_head: AuditChainHeadTable;
}
