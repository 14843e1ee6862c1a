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

-- Which run a campaign id belongs to: the first run that records anything under the id.
CREATE TABLE governance.run_bindings (
  campaign_id text PRIMARY KEY,
  run_id text NOT NULL,
  bound_at timestamptz NOT NULL DEFAULT now()
);

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
  PRIMARY KEY (campaign_id, seq)
);
CREATE INDEX audit_events_by_step ON governance.audit_events (campaign_id, run_id, step, action);

-- The head of a trail after each append, signed with the key of the worker that appended.
CREATE TABLE governance.checkpoints (
  campaign_id text NOT NULL,
  seq integer NOT NULL,
  body text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, seq)
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

-- Every audit event continues its campaign's chain under the run the id is bound to, whoever inserts it.
CREATE FUNCTION governance.continue_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = governance, pg_temp AS $fn$
DECLARE
  bound text;
  last_seq integer;
  last_hash text;
  event jsonb := NEW.body::jsonb;
  classes text[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('trail:' || NEW.campaign_id, 0));
  SELECT run_id INTO bound FROM run_bindings WHERE campaign_id = NEW.campaign_id;
  IF bound IS NULL THEN
    INSERT INTO run_bindings (campaign_id, run_id) VALUES (NEW.campaign_id, NEW.run_id);
  ELSIF bound <> NEW.run_id THEN
    RAISE EXCEPTION 'the trail of % belongs to run %, not %', NEW.campaign_id, bound, NEW.run_id USING ERRCODE = 'P0001';
  END IF;
  SELECT seq, hash INTO last_seq, last_hash FROM audit_events WHERE campaign_id = NEW.campaign_id ORDER BY seq DESC LIMIT 1;
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
  bound text;
  body text;
  event jsonb;
  stored text;
  appended integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('trail:' || p_campaign, 0));
  SELECT run_id INTO bound FROM run_bindings WHERE campaign_id = p_campaign;
  IF bound IS NOT NULL AND bound <> p_run THEN
    RAISE EXCEPTION '%''s trail belongs to run %, not %', p_campaign, bound, p_run USING ERRCODE = 'P0001';
  END IF;
  FOREACH body IN ARRAY p_events LOOP
    event := body::jsonb;
    SELECT hash INTO stored FROM audit_events WHERE campaign_id = p_campaign AND seq = (event ->> 'seq')::integer;
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
    INSERT INTO checkpoints (campaign_id, seq, body) VALUES (p_campaign, (p_checkpoint::jsonb ->> 'seq')::integer, p_checkpoint);
  END IF;
  RETURN appended;
END
$fn$;

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
GRANT SELECT, INSERT ON governance.run_bindings, governance.audit_events, governance.checkpoints,
  governance.spend_ledger, governance.publications, governance.deployment_facts TO campaign_worker;
GRANT SELECT ON governance.campaign_facts TO campaign_worker;
GRANT SELECT, INSERT, DELETE ON governance.model_responses TO campaign_worker;
GRANT USAGE ON SEQUENCE governance.spend_ledger_id_seq TO campaign_worker;
-- A worker checks at start that the schema is the one its code knows.
GRANT SELECT ON public.schema_migrations TO campaign_worker;
REVOKE ALL ON FUNCTION governance.continue_chain() FROM PUBLIC;
REVOKE ALL ON FUNCTION governance.append_events(text, text, text[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION governance.append_events(text, text, text[], text) TO campaign_worker;
REVOKE ALL ON FUNCTION governance.count_spend() FROM PUBLIC;

-- Down Migration
DROP SCHEMA governance CASCADE;
