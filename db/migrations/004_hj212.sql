-- Up Migration
-- Values an HJ 212 monitor flagged other than N (normal): stopped, maintenance, manual,
-- fault, calibration, over range, communication failure. Kept with their flag, apart from
-- the valid readings.
CREATE TABLE reading_flagged (
  site_key     integer NOT NULL,
  metric_id    smallint NOT NULL,
  time         timestamptz NOT NULL,
  value        double precision NOT NULL,
  flag         text NOT NULL CHECK (flag ~ '^[A-Za-z]$'),
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_key, metric_id, time, flag)
);

-- Down Migration
DROP TABLE reading_flagged;
