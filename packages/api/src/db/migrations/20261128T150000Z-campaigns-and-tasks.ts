import { type Kysely, sql } from "kysely";

/**
 * Campaigns (owners, participants, activities with march stages, metrics with contributions and
 * their corrections, updates) and tasks (watchers, history, comments, reminders).
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE TABLE campaign (
    id uuid CONSTRAINT campaign_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    coalition_id uuid NOT NULL CONSTRAINT campaign_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    title text NOT NULL,
    slug text NOT NULL,
    summary text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    goals text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'planning' CONSTRAINT campaign_status_check CHECK (status IN ('planning', 'active', 'paused', 'concluded', 'archived')),
    visibility text NOT NULL DEFAULT 'members' CONSTRAINT campaign_visibility_check CHECK (visibility IN ('members', 'public')),
    starts_on date,
    ends_on date,
    created_by uuid CONSTRAINT campaign_created_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
    CONSTRAINT campaign_coalition_slug_key UNIQUE (coalition_id, slug),
    CONSTRAINT campaign_dates_check CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
  )`,
  // The campaign list: newest activity first within a coalition (keyset on updated_at, id).
  `CREATE INDEX campaign_coalition_updated_idx ON campaign (coalition_id, updated_at DESC, id DESC)`,

  `CREATE TABLE campaign_organisation (
    campaign_id uuid NOT NULL CONSTRAINT campaign_organisation_campaign_fkey REFERENCES campaign (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL CONSTRAINT campaign_organisation_organisation_fkey REFERENCES organisation (id) ON DELETE CASCADE,
    role text NOT NULL CONSTRAINT campaign_organisation_role_check CHECK (role IN ('owner', 'participant')),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT campaign_organisation_pkey PRIMARY KEY (campaign_id, organisation_id)
  )`,
  // "Campaigns this organisation is involved in" (list filter and co-owner checks).
  `CREATE INDEX campaign_organisation_organisation_idx ON campaign_organisation (organisation_id, campaign_id)`,

  `CREATE TABLE activity (
    id uuid CONSTRAINT activity_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id uuid NOT NULL CONSTRAINT activity_campaign_fkey REFERENCES campaign (id) ON DELETE CASCADE,
    kind text NOT NULL CONSTRAINT activity_kind_check CHECK (kind IN ('demonstration', 'march', 'letter', 'petition', 'distribution', 'press', 'meeting', 'other')),
    title text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz,
    location text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT activity_times_check CHECK (ends_at IS NULL OR ends_at >= starts_at)
  )`,
  `CREATE INDEX activity_campaign_idx ON activity (campaign_id, starts_at)`,

  `CREATE TABLE march_stage (
    activity_id uuid NOT NULL CONSTRAINT march_stage_activity_fkey REFERENCES activity (id) ON DELETE CASCADE,
    position integer NOT NULL,
    stage_date date NOT NULL,
    from_place text NOT NULL,
    to_place text NOT NULL,
    distance_km numeric(8,2) NOT NULL CONSTRAINT march_stage_distance_check CHECK (distance_km >= 0),
    CONSTRAINT march_stage_pkey PRIMARY KEY (activity_id, position)
  )`,

  `CREATE TABLE metric (
    id uuid CONSTRAINT metric_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id uuid NOT NULL CONSTRAINT metric_campaign_fkey REFERENCES campaign (id) ON DELETE CASCADE,
    name text NOT NULL,
    unit text NOT NULL DEFAULT '',
    target numeric(16,2) CONSTRAINT metric_target_check CHECK (target IS NULL OR target > 0),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX metric_campaign_idx ON metric (campaign_id)`,

  // A contribution row always holds its current value; every version (first report and each correction)
  // is kept in contribution_revision. Totals are SUMs over current values, so concurrent reports stay exact.
  `CREATE TABLE contribution (
    id uuid CONSTRAINT contribution_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    metric_id uuid NOT NULL CONSTRAINT contribution_metric_fkey REFERENCES metric (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL CONSTRAINT contribution_organisation_fkey REFERENCES organisation (id) ON DELETE CASCADE,
    amount numeric(16,2) NOT NULL CONSTRAINT contribution_amount_check CHECK (amount > 0),
    contributed_on date NOT NULL,
    note text NOT NULL DEFAULT '',
    created_by uuid CONSTRAINT contribution_created_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revision integer NOT NULL DEFAULT 1
  )`,
  `CREATE INDEX contribution_metric_idx ON contribution (metric_id, organisation_id)`,
  `CREATE TABLE contribution_revision (
    contribution_id uuid NOT NULL CONSTRAINT contribution_revision_contribution_fkey REFERENCES contribution (id) ON DELETE CASCADE,
    revision integer NOT NULL,
    amount numeric(16,2) NOT NULL,
    contributed_on date NOT NULL,
    note text NOT NULL,
    changed_by uuid CONSTRAINT contribution_revision_changed_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contribution_revision_pkey PRIMARY KEY (contribution_id, revision)
  )`,

  // Keyset cursors carry millisecond timestamps, so sortable timestamps are stored at millisecond precision.
  `CREATE TABLE campaign_update (
    id uuid CONSTRAINT campaign_update_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id uuid NOT NULL CONSTRAINT campaign_update_campaign_fkey REFERENCES campaign (id) ON DELETE CASCADE,
    author_id uuid NOT NULL CONSTRAINT campaign_update_author_fkey REFERENCES person (id) ON DELETE CASCADE,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
  )`,
  `CREATE INDEX campaign_update_campaign_idx ON campaign_update (campaign_id, created_at DESC, id DESC)`,

  `CREATE TABLE task (
    id uuid CONSTRAINT task_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    coalition_id uuid NOT NULL CONSTRAINT task_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    campaign_id uuid CONSTRAINT task_campaign_fkey REFERENCES campaign (id) ON DELETE CASCADE,
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'todo' CONSTRAINT task_status_check CHECK (status IN ('todo', 'in_progress', 'blocked', 'done', 'cancelled')),
    priority text NOT NULL DEFAULT 'normal' CONSTRAINT task_priority_check CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    due_on date,
    assignee_organisation_id uuid CONSTRAINT task_assignee_organisation_fkey REFERENCES organisation (id) ON DELETE SET NULL,
    assignee_person_id uuid CONSTRAINT task_assignee_person_fkey REFERENCES person (id) ON DELETE SET NULL,
    labels text[] NOT NULL DEFAULT '{}',
    created_by uuid CONSTRAINT task_created_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
    reminded_due_at timestamptz,
    reminded_overdue_at timestamptz,
    CONSTRAINT task_person_needs_organisation_check CHECK (assignee_person_id IS NULL OR assignee_organisation_id IS NOT NULL)
  )`,
  // Every task list is keyset-paginated on (updated_at DESC, id DESC) within one scope:
  // the coalition (all / overdue / filters), a campaign (board), an organisation, a person.
  `CREATE INDEX task_coalition_idx ON task (coalition_id, updated_at DESC, id DESC)`,
  `CREATE INDEX task_campaign_idx ON task (campaign_id, status, updated_at DESC, id DESC) WHERE campaign_id IS NOT NULL`,
  `CREATE INDEX task_assignee_organisation_idx ON task (assignee_organisation_id, updated_at DESC, id DESC) WHERE assignee_organisation_id IS NOT NULL`,
  `CREATE INDEX task_assignee_person_idx ON task (assignee_person_id, updated_at DESC, id DESC) WHERE assignee_person_id IS NOT NULL`,
  // Overdue and reminder scans only look at open tasks with a due date.
  `CREATE INDEX task_open_due_idx ON task (due_on) WHERE due_on IS NOT NULL AND status NOT IN ('done', 'cancelled')`,
  `CREATE INDEX task_labels_idx ON task USING gin (labels)`,

  `CREATE TABLE task_watcher (
    task_id uuid NOT NULL CONSTRAINT task_watcher_task_fkey REFERENCES task (id) ON DELETE CASCADE,
    person_id uuid NOT NULL CONSTRAINT task_watcher_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT task_watcher_pkey PRIMARY KEY (task_id, person_id)
  )`,
  `CREATE INDEX task_watcher_person_idx ON task_watcher (person_id)`,

  `CREATE TABLE task_event (
    id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT task_event_pkey PRIMARY KEY,
    task_id uuid NOT NULL CONSTRAINT task_event_task_fkey REFERENCES task (id) ON DELETE CASCADE,
    actor_id uuid CONSTRAINT task_event_actor_fkey REFERENCES person (id) ON DELETE SET NULL,
    field text NOT NULL,
    before jsonb,
    after jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX task_event_task_idx ON task_event (task_id, id)`,

  `CREATE TABLE task_comment (
    id uuid CONSTRAINT task_comment_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    task_id uuid NOT NULL CONSTRAINT task_comment_task_fkey REFERENCES task (id) ON DELETE CASCADE,
    author_id uuid NOT NULL CONSTRAINT task_comment_author_fkey REFERENCES person (id) ON DELETE CASCADE,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX task_comment_task_idx ON task_comment (task_id, created_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
