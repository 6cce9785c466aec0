-- Up Migration
-- Data review (数据审核): an operator marks a site's data (metric_id NULL) or one metric of it
-- invalid over whole hours [from_ts, to_ts). Rows are never deleted: a withdrawal fills the
-- withdrawn_* columns. Rollup hours covered by an active mark count in no statistic.
CREATE TABLE review_mark (
  id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_key          integer NOT NULL REFERENCES site (key),
  metric_id         smallint REFERENCES metric (id),
  from_ts           timestamptz NOT NULL,
  to_ts             timestamptz NOT NULL,
  reason            text NOT NULL CHECK (reason IN ('maintenance', 'calibration', 'instrument_fault', 'power_or_comms_failure', 'external_interference', 'other')),
  note              text CHECK (char_length(note) <= 500),
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  withdrawn_by      text,
  withdrawn_at      timestamptz,
  withdrawn_reason  text CHECK (char_length(withdrawn_reason) <= 500),
  CHECK (from_ts < to_ts),
  -- Whole hours, independent of the session's time zone.
  CHECK (extract(epoch FROM from_ts)::bigint % 3600 = 0 AND extract(epoch FROM to_ts)::bigint % 3600 = 0),
  CHECK (reason <> 'other' OR note IS NOT NULL),
  CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL) AND (withdrawn_at IS NULL) = (withdrawn_reason IS NULL))
);

-- The exclusion of rollup hours: active marks of a site whose period covers an hour.
CREATE INDEX review_mark_active ON review_mark (site_key, from_ts, to_ts) INCLUDE (metric_id) WHERE withdrawn_at IS NULL;
-- The lists: marks (active or withdrawn) overlapping a period, per site or district-wide.
CREATE INDEX review_mark_site_period ON review_mark (site_key, to_ts, from_ts);
CREATE INDEX review_mark_period ON review_mark (to_ts, from_ts);

-- Down Migration
DROP TABLE review_mark;
