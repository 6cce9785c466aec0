-- Up Migration
-- Every published version of a month's report is kept (issue 14): `report` stays the newest
-- one (what GET /api/reports/monthly/{month} serves), `report_version` holds them all, the
-- newest included. `saw` is what the version's figures were computed from (docs/contract.md §8).
ALTER TABLE report
  ADD COLUMN version     int  NOT NULL DEFAULT 1 CHECK (version >= 1),
  ADD COLUMN why         text NOT NULL DEFAULT 'scheduled' CHECK (why IN ('scheduled', 'rule', 'admin')),
  -- The database's time when the figures were gathered: data arriving later makes them stale.
  ADD COLUMN gathered_at timestamptz,
  ADD COLUMN saw         jsonb;

UPDATE report SET why = 'admin' WHERE generated_by IS NOT NULL;
UPDATE report SET gathered_at = generated_at;
ALTER TABLE report ALTER COLUMN gathered_at SET NOT NULL, ALTER COLUMN gathered_at SET DEFAULT now();

CREATE TABLE report_version (
  month        text NOT NULL,
  version      int  NOT NULL CHECK (version >= 1),
  figures      jsonb NOT NULL,
  generated_at timestamptz NOT NULL,
  generated_by text,
  why          text NOT NULL CHECK (why IN ('scheduled', 'rule', 'admin')),
  gathered_at  timestamptz NOT NULL,
  saw          jsonb,
  PRIMARY KEY (month, version)
);
INSERT INTO report_version (month, version, figures, generated_at, generated_by, why, gathered_at, saw)
SELECT month, version, figures, generated_at, generated_by, why, gathered_at, saw FROM report;

-- Data of a month arriving (readings, events: marked by the hub that stored them; alerts and
-- data-review marks: found by the archive check), whether or not the month is archived yet:
-- an archive whose gathered_at precedes a row's last_at is stale for that reason. One row per
-- month and reason, updated at most about once a second per hub while data keeps arriving.
CREATE TABLE report_late_data (
  month    text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  reason   text NOT NULL CHECK (reason IN ('readings', 'events', 'alerts', 'review')),
  -- The first arrival after the month's archive was gathered (else: after the previous one).
  first_at timestamptz NOT NULL DEFAULT now(),
  last_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (month, reason)
);

-- Down Migration
DROP TABLE report_late_data;
DROP TABLE report_version;
ALTER TABLE report DROP COLUMN saw, DROP COLUMN gathered_at, DROP COLUMN why, DROP COLUMN version;
