-- Up Migration
-- Coverage (docs/architecture.md §6, docs/contract.md §2.2): an hour's readings are judged on
-- the time they really cover. Each reading covers the period it declares (`period_s`, an HJ 212
-- hourly or minute packet) or else the site's reporting interval: set by an admin
-- (`reporting_interval_s`) or learned from the gaps between its readings
-- (`learned_interval_s`). The rollup keeps the two apart, so that setting an interval can
-- re-judge the hours already stored: coverage = least(3600, declared_s + assumed_s).
ALTER TABLE site
  ADD COLUMN reporting_interval_s integer CHECK (reporting_interval_s BETWEEN 1 AND 86400),
  ADD COLUMN learned_interval_s integer CHECK (learned_interval_s BETWEEN 1 AND 86400);

-- The interval some sites were given as a free parameter becomes the admin-set interval.
UPDATE site SET reporting_interval_s = round((params->>'interval_s')::numeric)::int,
                params = params - 'interval_s'
WHERE jsonb_typeof(params->'interval_s') = 'number'
  AND (params->>'interval_s')::numeric BETWEEN 1 AND 86400;

-- Whole seconds, each reading's at most an hour (what an hour can hold), so integers suffice.
ALTER TABLE reading_hourly
  ADD COLUMN n_declared integer NOT NULL DEFAULT 0,
  ADD COLUMN declared_s integer NOT NULL DEFAULT 0,
  ADD COLUMN assumed_s integer NOT NULL DEFAULT 0;

-- Hours stored before: every reading stood for the site's interval or its kind's nominal one.
UPDATE reading_hourly h SET assumed_s = h.n * least(3600, coalesce(s.reporting_interval_s, CASE s.kind
    WHEN 'air' THEN 60 WHEN 'pump_station' THEN 30 WHEN 'wwtp' THEN 60 WHEN 'river' THEN 300
    WHEN 'seawater' THEN 300 WHEN 'gas_point' THEN 30 WHEN 'fishing_port' THEN 60
    WHEN 'ebike_charging' THEN 30 ELSE 60 END))
FROM site s WHERE s.key = h.site_key;

-- Down Migration
ALTER TABLE reading_hourly DROP COLUMN assumed_s, DROP COLUMN declared_s, DROP COLUMN n_declared;
ALTER TABLE site DROP COLUMN learned_interval_s, DROP COLUMN reporting_interval_s;
