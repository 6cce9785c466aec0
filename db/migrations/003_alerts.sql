-- Up Migration

-- Alert rules: one per kind of site (defaults are kept in step with the code at start-up;
-- an admin may change or disable them), with per-site overrides.
CREATE TABLE alert_rule (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  kind        text NOT NULL,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  definition  jsonb NOT NULL,
  enabled     boolean NOT NULL DEFAULT true,
  builtin     boolean NOT NULL DEFAULT false,
  -- A built-in rule an admin changed is no longer overwritten by the code's default.
  customized  boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alert_rule_override (
  rule_id     text NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
  site_key    integer NOT NULL REFERENCES site (key) ON DELETE CASCADE,
  definition  jsonb,
  enabled     boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule_id, site_key)
);

CREATE TABLE alert (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_key          integer NOT NULL REFERENCES site (key),
  rule_id           text NOT NULL,
  severity          text NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
  state             text NOT NULL CHECK (state IN ('active', 'acknowledged', 'resolved')),
  cleared           boolean NOT NULL DEFAULT false,
  cleared_at        timestamptz,
  title_zh          text NOT NULL,
  title_en          text NOT NULL,
  detail            jsonb NOT NULL DEFAULT '{}',
  opened_at         timestamptz NOT NULL,
  last_triggered_at timestamptz NOT NULL,
  triggers          integer NOT NULL DEFAULT 1,
  acknowledged_at   timestamptz,
  acknowledged_by   text,
  resolved_at       timestamptz,
  resolved_by       text,
  assigned_to       text,
  escalation_level  integer NOT NULL DEFAULT 0,
  announced_at      timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- One open alert per (site, rule): a repeat extends it.
CREATE UNIQUE INDEX alert_one_open ON alert (site_key, rule_id) WHERE state <> 'resolved';
CREATE INDEX alert_opened_idx ON alert (opened_at DESC);
CREATE INDEX alert_state_idx ON alert (state, opened_at DESC) WHERE state <> 'resolved';

-- The audit trail: every change of every alert, who, when and why.
CREATE TABLE alert_event (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id  bigint NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
  at        timestamptz NOT NULL DEFAULT now(),
  action    text NOT NULL,
  actor     text,
  note      text,
  data      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX alert_event_alert_idx ON alert_event (alert_id, id);

-- Per-rule evaluation state (durations, counts, open hazards) that survives a restart.
CREATE TABLE rule_state (
  rule_id     text NOT NULL,
  site_key    integer NOT NULL,
  state       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule_id, site_key)
);

-- Down Migration
DROP TABLE rule_state;
DROP TABLE alert_event;
DROP TABLE alert;
DROP TABLE alert_rule_override;
DROP TABLE alert_rule;
