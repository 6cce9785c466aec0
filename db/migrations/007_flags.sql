-- Up Migration
-- Data flags (docs/contract.md §2.2): values flagged other than N, from MQTT or HJ 212, stay in
-- reading_flagged and never reach reading, the rollups or reading_latest. The newest flagged
-- value per (site, metric) is kept here so the map and the live view can say a metric's newest
-- value is flagged without scanning reading_flagged.
CREATE TABLE reading_flagged_latest (
  site_key   integer NOT NULL,
  metric_id  smallint NOT NULL,
  time       timestamptz NOT NULL,
  value      double precision NOT NULL,
  flag       text NOT NULL,
  PRIMARY KEY (site_key, metric_id)
);

INSERT INTO reading_flagged_latest (site_key, metric_id, time, value, flag)
SELECT DISTINCT ON (site_key, metric_id) site_key, metric_id, time, value, flag
FROM reading_flagged ORDER BY site_key, metric_id, time DESC;

-- Down Migration
DROP TABLE reading_flagged_latest;
