import type { ActivityTable, MarchStageTable } from "./tables/activity.ts";
import type { AppClockTable } from "./tables/app-clock.ts";
import type { AuditErasureTable } from "./tables/audit-erasure.ts";
import type { AuditChainHeadTable, AuditEventTable } from "./tables/audit-event.ts";
import type { AuthTokenTable } from "./tables/auth-token.ts";
import type { CalendarFeedTable } from "./tables/calendar-feed.ts";
import type { CampaignOrganisationTable, CampaignTable } from "./tables/campaign.ts";
import type { CoalitionTable } from "./tables/coalition.ts";
import type { CoalitionDeletionTable } from "./tables/coalition-deletion.ts";
import type { CoalitionMemberTable } from "./tables/coalition-member.ts";
import type { CoordinatorTable } from "./tables/coordinator.ts";
import type { DevMailboxTable } from "./tables/dev-mailbox.ts";
import type { EmailChangeTable } from "./tables/email-change.ts";
import type { IdempotentRequestTable } from "./tables/idempotent-request.ts";
import type { InstanceLogTable } from "./tables/instance-log.ts";
import type { InstanceOperatorTable } from "./tables/instance-operator.ts";
import type { InvitationTable } from "./tables/invitation.ts";
import type {
  LetterActionTable,
  LetterActionTargetTable,
  LetterReplyTable,
  LetterStartCountTable,
  LetterTable,
  LetterTargetTable,
} from "./tables/letter.ts";
import type { MembershipTable } from "./tables/membership.ts";
import type { CampaignUpdateTable, ContributionRevisionTable, ContributionTable, MetricTable } from "./tables/metric.ts";
import type { NotificationTable } from "./tables/notification.ts";
import type { OrganisationTable } from "./tables/organisation.ts";
import type { OutboxEmailTable } from "./tables/outbox-email.ts";
import type { PasskeyTable, WebauthnChallengeTable } from "./tables/passkey.ts";
import type { PasswordResetRequestTable } from "./tables/password-reset-request.ts";
import type { PersonTable } from "./tables/person.ts";
import type {
  PetitionPaperSheetRevisionTable,
  PetitionPaperSheetTable,
  PetitionProvinceTallyTable,
  PetitionSignatureTable,
  PetitionTable,
  PowChallengeUsedTable,
} from "./tables/petition.ts";
import type { RateLimitTable } from "./tables/rate-limit.ts";
import type { RecoveryCodeTable } from "./tables/recovery-code.ts";
import type { ServerSecretTable } from "./tables/server-secret.ts";
import type { SessionTable } from "./tables/session.ts";
import type { SignupStageTable, SignupTable } from "./tables/signup.ts";
import type {
  BallotTable,
  StatementCommentTable,
  StatementTable,
  StatementVersionTable,
  VoteEligibleTable,
  VoteSignatoryTable,
  VoteTable,
} from "./tables/statement.ts";
import type { TaskCommentTable, TaskEventTable, TaskTable, TaskWatcherTable } from "./tables/task.ts";
import type { TwoFactorChallengeTable } from "./tables/two-factor-challenge.ts";

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
  server_secret: ServerSecretTable;
  password_reset_request: PasswordResetRequestTable;
  email_change: EmailChangeTable;
  recovery_code: RecoveryCodeTable;
  two_factor_challenge: TwoFactorChallengeTable;
  passkey: PasskeyTable;
  webauthn_challenge: WebauthnChallengeTable;
  outbox_email: OutboxEmailTable;
  dev_mailbox: DevMailboxTable;
  notification: NotificationTable;
  audit_event: AuditEventTable;
  audit_chain_head: AuditChainHeadTable;
  audit_erasure: AuditErasureTable;
  campaign: CampaignTable;
  campaign_organisation: CampaignOrganisationTable;
  activity: ActivityTable;
  march_stage: MarchStageTable;
  metric: MetricTable;
  contribution: ContributionTable;
  contribution_revision: ContributionRevisionTable;
  campaign_update: CampaignUpdateTable;
  task: TaskTable;
  task_watcher: TaskWatcherTable;
  task_event: TaskEventTable;
  task_comment: TaskCommentTable;
  statement: StatementTable;
  statement_version: StatementVersionTable;
  statement_comment: StatementCommentTable;
  vote: VoteTable;
  vote_eligible: VoteEligibleTable;
  ballot: BallotTable;
  vote_signatory: VoteSignatoryTable;
  app_clock: AppClockTable;
  letter_target: LetterTargetTable;
  letter_action: LetterActionTable;
  letter_action_target: LetterActionTargetTable;
  letter: LetterTable;
  letter_reply: LetterReplyTable;
  letter_start_count: LetterStartCountTable;
  signup: SignupTable;
  signup_stage: SignupStageTable;
  petition: PetitionTable;
  petition_signature: PetitionSignatureTable;
  petition_province_tally: PetitionProvinceTallyTable;
  petition_paper_sheet: PetitionPaperSheetTable;
  petition_paper_sheet_revision: PetitionPaperSheetRevisionTable;
  pow_challenge_used: PowChallengeUsedTable;
  instance_operator: InstanceOperatorTable;
  coalition_deletion: CoalitionDeletionTable;
  instance_log: InstanceLogTable;
  calendar_feed: CalendarFeedTable;
  idempotent_request: IdempotentRequestTable;
}
