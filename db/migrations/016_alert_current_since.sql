-- Up Migration

-- When an alert first held on current data; null while only backfilled or late data holds it
-- (a historical alert). Escalation counts from here: counted from opened_at (the old data's
-- time) an alert opened from history and then held on current data climbed a level a tick.
ALTER TABLE alert ADD COLUMN current_since timestamptz;
UPDATE alert SET current_since = opened_at WHERE NOT (detail ? 'historical');

-- Down Migration
ALTER TABLE alert DROP COLUMN current_since;
