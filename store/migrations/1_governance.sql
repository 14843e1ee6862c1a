-- Up Migration
-- The governance store: everything that decides or proves what a campaign may do, shared by every worker machine.
-- Evidence (bindings, audit events, checkpoints, spend, publications) is append-only for the worker role: it may
-- read and insert, never update or delete (the grants at the end). The facts the policies read are kept current by
-- triggers that run as the owner, so no governed call rescans a trail.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'campaign_worker') THEN
    RAISE EXCEPTION 'create the worker role first: CREATE ROLE campaign_worker LOGIN PASSWORD ''...'' (see docs/operations.md)';
  END IF;
END $$;

CREATE SCHEMA governance;
REVOKE ALL ON SCHEMA governance FROM PUBLIC;

-- Which run a campaign id belongs to: the run whose start our planner verified (the requester's signature over the
-- id and the brief) and bound, once. Another run of the id, by ALLOW_DUPLICATE or TERMINATE_EXISTING, is another
-- campaign for every check; a run that never had a valid start is none. `legacy` marks the runs an operator imported
-- as in flight across the upgrade to receipts (`campaign audit import --owner-url`): only the owner can set it.
CREATE TABLE governance.run_bindings (
  campaign_id text PRIMARY KEY,
  run_id text NOT NULL,
  requested_by text NOT NULL,
  brief_hash text NOT NULL,
  legacy boolean NOT NULL DEFAULT false,
  bound_at timestamptz NOT NULL DEFAULT now()
);

-- What the worker side saw for every governed activity it ran, signed with its key: made where the work was done,
-- so a workflow (whatever code runs under our type name) cannot add one, and a worker of one's own without a
-- trusted key cannot either. Chained per run.
CREATE TABLE governance.receipts (
  campaign_id text NOT NULL,
  run_id text NOT NULL,
  seq integer NOT NULL CHECK (seq > 0),
  activity_type text NOT NULL,
  outcome text NOT NULL,
  input_hash text NOT NULL,
  output_hash text,
  hash text NOT NULL,
  body text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, run_id, seq)
);
CREATE INDEX receipts_by_activity ON governance.receipts (campaign_id, run_id, activity_type);

-- Decisions (approvals, rejections, change requests, budget raises and stops) as the worker side accepted them,
-- recorded the moment the gate took them; a signature takes effect once, whatever run or machine sees it again.
CREATE TABLE governance.decisions (
  signature text PRIMARY KEY,
  campaign_id text NOT NULL,
  run_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('approval', 'budget')),
  decision text NOT NULL,
  approver text NOT NULL,
  body text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_by_run ON governance.decisions (campaign_id, run_id, kind);

-- The hash-chained audit trail, one row per event; `body` is the event's canonical JSON, exactly as it was hashed.
CREATE TABLE governance.audit_events (
  campaign_id text NOT NULL,
  seq integer NOT NULL CHECK (seq > 0),
  run_id text NOT NULL,
  hash text NOT NULL,
  prev_hash text NOT NULL,
  step text NOT NULL,
  action text NOT NULL,
  body text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, run_id, seq)
);
CREATE INDEX audit_events_by_step ON governance.audit_events (campaign_id, run_id, step, action);

-- The head of a trail after each append, signed with the key of the worker that appended.
CREATE TABLE governance.checkpoints (
  campaign_id text NOT NULL,
  run_id text NOT NULL,
  seq integer NOT NULL,
  body text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, run_id, seq)
);

-- The model gateway's spend: a reservation before a paid call, its settlement (or release) after.
CREATE TABLE governance.spend_ledger (
  id bigserial PRIMARY KEY,
  campaign_id text NOT NULL,
  run_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reserve', 'settle', 'release')),
  reservation bigint REFERENCES governance.spend_ledger (id),
  step text NOT NULL,
  cost_micro_eur bigint NOT NULL CHECK (cost_micro_eur >= 0),
  tokens bigint NOT NULL CHECK (tokens >= 0),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'reserve') = (reservation IS NULL))
);
CREATE INDEX spend_ledger_by_run ON governance.spend_ledger (campaign_id, run_id);
CREATE UNIQUE INDEX spend_ledger_one_end ON governance.spend_ledger (reservation) WHERE reservation IS NOT NULL;

-- A campaign id publishes once, whatever machine publishes it.
CREATE TABLE governance.publications (
  campaign_id text PRIMARY KEY,
  run_id text NOT NULL,
  content_hash text NOT NULL,
  published_by text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);

-- What the policies read about a run, kept current by the triggers below.
CREATE TABLE governance.campaign_facts (
  campaign_id text NOT NULL,
  run_id text NOT NULL,
  events integer NOT NULL DEFAULT 0,
  data_classes text[] NOT NULL DEFAULT '{}',
  injections_flagged integer NOT NULL DEFAULT 0,
  spent_micro_eur bigint NOT NULL DEFAULT 0,
  spent_tokens bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, run_id)
);

-- Paid model answers, so a retried step does not pay again on any machine; not evidence, pruned by age.
CREATE TABLE governance.model_responses (
  key text PRIMARY KEY,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Settings every machine of the deployment must share, as fingerprints (never the secrets): the first worker records
-- them, and a worker whose settings give another fingerprint refuses to start.
CREATE TABLE governance.deployment_facts (
  name text PRIMARY KEY,
  fingerprint text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

-- Every audit event continues its run's chain, whoever inserts it; the events are claims (what workflow code says),
-- kept per run, so a run under a squatted or reused id writes its own trail and blocks nobody's.
CREATE FUNCTION governance.continue_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = governance, pg_temp AS $fn$
DECLARE
  last_seq integer;
  last_hash text;
  event jsonb := NEW.body::jsonb;
  classes text[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('trail:' || NEW.campaign_id || ':' || NEW.run_id, 0));
  SELECT seq, hash INTO last_seq, last_hash FROM audit_events
    WHERE campaign_id = NEW.campaign_id AND run_id = NEW.run_id ORDER BY seq DESC LIMIT 1;
  IF NEW.seq <> coalesce(last_seq, 0) + 1 THEN
    RAISE EXCEPTION 'event % comes before event %', NEW.seq, coalesce(last_seq, 0) + 1 USING ERRCODE = 'P0001';
  END IF;
  IF NEW.prev_hash <> coalesce(last_hash, repeat('0', 64)) THEN
    RAISE EXCEPTION 'event % does not continue the chain', NEW.seq USING ERRCODE = 'P0001';
  END IF;
  IF (event ->> 'workflowId') IS DISTINCT FROM NEW.campaign_id OR (event ->> 'runId') IS DISTINCT FROM NEW.run_id
     OR (event ->> 'hash') IS DISTINCT FROM NEW.hash OR (event ->> 'seq')::integer IS DISTINCT FROM NEW.seq THEN
    RAISE EXCEPTION 'event % does not match its columns', NEW.seq USING ERRCODE = 'P0001';
  END IF;
  SELECT coalesce(array_agg(key), '{}') INTO classes
    FROM jsonb_each(coalesce(event -> 'privacy' -> 'redacted', '{}'::jsonb))
    WHERE jsonb_typeof(value) = 'number' AND value::numeric > 0;
  INSERT INTO campaign_facts AS f (campaign_id, run_id, events, data_classes, injections_flagged)
    VALUES (NEW.campaign_id, NEW.run_id, 1, classes,
            coalesce(jsonb_array_length(CASE WHEN jsonb_typeof(event -> 'detail' -> 'injections') = 'array'
                                              THEN event -> 'detail' -> 'injections' END), 0))
    ON CONFLICT (campaign_id, run_id) DO UPDATE SET
      events = f.events + 1,
      data_classes = ARRAY(SELECT DISTINCT unnest(f.data_classes || EXCLUDED.data_classes) ORDER BY 1),
      injections_flagged = f.injections_flagged + EXCLUDED.injections_flagged,
      updated_at = now();
  RETURN NEW;
END
$fn$;
CREATE TRIGGER continue_chain BEFORE INSERT ON governance.audit_events
  FOR EACH ROW EXECUTE FUNCTION governance.continue_chain();

-- An append in one round trip: under the campaign's lock, events the trail already holds are skipped (a retried
-- activity hands them again), a different event under a stored number is refused, the rest are inserted (the trigger
-- above checks each continues the chain), and the checkpoint the worker signed for the last of them is recorded.
-- Runs with the caller's rights: the worker role may insert, and nothing more.
CREATE FUNCTION governance.append_events(p_campaign text, p_run text, p_events text[], p_checkpoint text)
RETURNS integer
LANGUAGE plpgsql SET search_path = governance, pg_temp AS $fn$
DECLARE
  body text;
  event jsonb;
  stored text;
  appended integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('trail:' || p_campaign || ':' || p_run, 0));
  FOREACH body IN ARRAY p_events LOOP
    event := body::jsonb;
    SELECT hash INTO stored FROM audit_events
      WHERE campaign_id = p_campaign AND run_id = p_run AND seq = (event ->> 'seq')::integer;
    IF stored IS NOT NULL THEN
      IF stored <> event ->> 'hash' THEN
        RAISE EXCEPTION 'event % differs from the stored event %', event ->> 'seq', event ->> 'seq' USING ERRCODE = 'P0001';
      END IF;
      CONTINUE;
    END IF;
    INSERT INTO audit_events (campaign_id, seq, run_id, hash, prev_hash, step, action, body)
      VALUES (p_campaign, (event ->> 'seq')::integer, p_run, event ->> 'hash', event ->> 'prevHash', event ->> 'step',
              event ->> 'action', body);
    appended := appended + 1;
  END LOOP;
  IF appended > 0 THEN
    INSERT INTO checkpoints (campaign_id, run_id, seq, body)
      VALUES (p_campaign, p_run, (p_checkpoint::jsonb ->> 'seq')::integer, p_checkpoint);
  END IF;
  RETURN appended;
END
$fn$;

-- Receipts continue their run's chain too: the next number, linked to the last receipt's hash.
CREATE FUNCTION governance.continue_receipts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = governance, pg_temp AS $fn$
DECLARE
  last_seq integer;
  last_hash text;
  receipt jsonb := NEW.body::jsonb;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('receipts:' || NEW.campaign_id || ':' || NEW.run_id, 0));
  SELECT seq, hash INTO last_seq, last_hash FROM receipts
    WHERE campaign_id = NEW.campaign_id AND run_id = NEW.run_id ORDER BY seq DESC LIMIT 1;
  IF NEW.seq <> coalesce(last_seq, 0) + 1 OR (receipt ->> 'prevHash') IS DISTINCT FROM coalesce(last_hash, repeat('0', 64))
     OR (receipt ->> 'hash') IS DISTINCT FROM NEW.hash OR (receipt ->> 'seq')::integer IS DISTINCT FROM NEW.seq
     OR (receipt ->> 'campaignId') IS DISTINCT FROM NEW.campaign_id OR (receipt ->> 'runId') IS DISTINCT FROM NEW.run_id THEN
    RAISE EXCEPTION 'receipt % does not continue the receipts of run %', NEW.seq, NEW.run_id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER continue_receipts BEFORE INSERT ON governance.receipts
  FOR EACH ROW EXECUTE FUNCTION governance.continue_receipts();

-- Settled spend counts towards the run's facts.
CREATE FUNCTION governance.count_spend() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = governance, pg_temp AS $fn$
BEGIN
  IF NEW.kind = 'settle' THEN
    INSERT INTO campaign_facts AS f (campaign_id, run_id, spent_micro_eur, spent_tokens)
      VALUES (NEW.campaign_id, NEW.run_id, NEW.cost_micro_eur, NEW.tokens)
      ON CONFLICT (campaign_id, run_id) DO UPDATE SET
        spent_micro_eur = f.spent_micro_eur + EXCLUDED.spent_micro_eur,
        spent_tokens = f.spent_tokens + EXCLUDED.spent_tokens,
        updated_at = now();
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER count_spend AFTER INSERT ON governance.spend_ledger
  FOR EACH ROW EXECUTE FUNCTION governance.count_spend();

-- The worker role reads everything and inserts evidence; it never updates or deletes it, and owns nothing.
GRANT USAGE ON SCHEMA governance TO campaign_worker;
GRANT SELECT, INSERT ON governance.audit_events, governance.checkpoints, governance.receipts, governance.decisions,
  governance.spend_ledger, governance.publications, governance.deployment_facts TO campaign_worker;
-- A worker binds a run it verified; whether a run was in flight across the upgrade is the owner's to say.
GRANT SELECT ON governance.run_bindings TO campaign_worker;
GRANT INSERT (campaign_id, run_id, requested_by, brief_hash) ON governance.run_bindings TO campaign_worker;
GRANT SELECT ON governance.campaign_facts TO campaign_worker;
GRANT SELECT, INSERT, DELETE ON governance.model_responses TO campaign_worker;
GRANT USAGE ON SEQUENCE governance.spend_ledger_id_seq TO campaign_worker;
-- A worker checks at start that the schema is the one its code knows.
GRANT SELECT ON public.schema_migrations TO campaign_worker;
REVOKE ALL ON FUNCTION governance.continue_chain() FROM PUBLIC;
REVOKE ALL ON FUNCTION governance.append_events(text, text, text[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION governance.append_events(text, text, text[], text) TO campaign_worker;
REVOKE ALL ON FUNCTION governance.count_spend() FROM PUBLIC;
REVOKE ALL ON FUNCTION governance.continue_receipts() FROM PUBLIC;

-- Down Migration
DROP SCHEMA governance CASCADE;
