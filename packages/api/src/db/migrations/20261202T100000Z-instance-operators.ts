import { type Kysely, sql } from "kysely";

/**
 * Many coalitions on one instance (issue 12 §8).
 * `instance_operator`: people who may create coalitions and schedule their deletion; they do not
 * see inside coalitions they are not members of. `coalition_deletion`: a scheduled deletion, due
 * after a grace period, cancelled by deleting its row. `instance_log`: what operators did and what
 * the deletion job deleted; instance-level, outside every coalition's audit chain, so it has no
 * foreign key to the coalition it names (the record outlives the coalition). An invitation with
 * `grants_coordinator` makes the person who accepts it a coordinator of its coalition (the first
 * coordinator of a coalition an operator created).
 * The append-only guards of audit_event and ballot let rows be deleted only inside a coalition's
 * erasure: a transaction that has set `samakki.erasure` (set_config(..., true), so it ends with the
 * transaction); updates stay refused, and deletes outside an erasure too. An erased event of a
 * chain that stays leaves a stub in `audit_erasure` (its id and hashes), so that chain still verifies.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE TABLE instance_operator (
    person_id uuid CONSTRAINT instance_operator_pkey PRIMARY KEY CONSTRAINT instance_operator_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by uuid CONSTRAINT instance_operator_granted_by_fkey REFERENCES person (id) ON DELETE SET NULL
  )`,
  `CREATE TABLE coalition_deletion (
    coalition_id uuid CONSTRAINT coalition_deletion_pkey PRIMARY KEY CONSTRAINT coalition_deletion_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    scheduled_by uuid CONSTRAINT coalition_deletion_scheduled_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    scheduled_at timestamptz NOT NULL DEFAULT now(),
    due_at timestamptz NOT NULL
  )`,
  `CREATE INDEX coalition_deletion_due_idx ON coalition_deletion (due_at)`,
  `CREATE TABLE instance_log (
    id bigint CONSTRAINT instance_log_pkey PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
    action text NOT NULL,
    actor_id uuid CONSTRAINT instance_log_actor_fkey REFERENCES person (id) ON DELETE SET NULL,
    coalition_id uuid,
    detail jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX instance_log_created_idx ON instance_log (created_at DESC, id DESC)`,
  `ALTER TABLE invitation ADD COLUMN grants_coordinator boolean NOT NULL DEFAULT false`,
  // What an erased event of a chain that stays (the instance chain, the legacy global chain)
  // leaves behind: its place and its two hashes, none of its content, so audit:verify still
  // links the events before and after it.
  `CREATE TABLE audit_erasure (
    event_id bigint CONSTRAINT audit_erasure_pkey PRIMARY KEY,
    chain_key text,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    erased_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX audit_erasure_chain_idx ON audit_erasure (chain_key, event_id)`,
  `CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' AND coalesce(current_setting('samakki.erasure', true), '') <> '' THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege';
  END;
  $$`,
  `CREATE OR REPLACE FUNCTION ballot_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      IF coalesce(current_setting('samakki.erasure', true), '') <> '' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'ballots cannot be deleted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.superseded_at IS NOT NULL OR NEW.superseded_at IS NULL
       OR (NEW.id, NEW.vote_id, NEW.organisation_id, NEW.choice, NEW.named, NEW.comment, NEW.cast_at, NEW.nonce, NEW.receipt)
          IS DISTINCT FROM (OLD.id, OLD.vote_id, OLD.organisation_id, OLD.choice, OLD.named, OLD.comment, OLD.cast_at, OLD.nonce, OLD.receipt) THEN
      RAISE EXCEPTION 'ballots are append-only' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END;
  $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
