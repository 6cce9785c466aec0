-- Up Migration

-- Sites: the registry. `key` is the compact id stored in every reading.
CREATE TABLE site (
  key          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id           text NOT NULL UNIQUE CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  kind         text NOT NULL,
  name_zh      text NOT NULL,
  name_en      text NOT NULL,
  lat          double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon          double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  params       jsonb NOT NULL DEFAULT '{}',
  -- what the device last said on its status topic (online / offline, or its last will)
  online       boolean NOT NULL DEFAULT false,
  status_at    timestamptz,
  -- newest reading or event time
  last_seen    timestamptz,
  retired_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- The metric catalogue, kept in step with contracts/ at start-up.
CREATE TABLE metric (
  id    smallint PRIMARY KEY,
  kind  text NOT NULL,
  name  text NOT NULL,
  unit  text NOT NULL,
  min   double precision NOT NULL,
  max   double precision NOT NULL,
  UNIQUE (kind, name)
);

-- Every reading, one row per value. The key makes redelivery idempotent.
CREATE TABLE reading (
  site_key   integer NOT NULL,
  metric_id  smallint NOT NULL,
  time       timestamptz NOT NULL,
  value      double precision NOT NULL,
  PRIMARY KEY (site_key, metric_id, time)
);
CREATE INDEX reading_time_idx ON reading (time DESC);

-- Hourly rollup (hours in UTC; the district's offset is whole hours), fed only by newly
-- inserted readings so it stays exact under redelivery. Kept for good.
CREATE TABLE reading_hourly (
  site_key   integer NOT NULL,
  metric_id  smallint NOT NULL,
  hour       timestamptz NOT NULL,
  n          integer NOT NULL,
  sum        double precision NOT NULL,
  min        double precision NOT NULL,
  max        double precision NOT NULL,
  PRIMARY KEY (site_key, metric_id, hour)
);

-- Newest value per site and metric, for the map and /api/sites without scanning readings.
CREATE TABLE reading_latest (
  site_key   integer NOT NULL,
  metric_id  smallint NOT NULL,
  time       timestamptz NOT NULL,
  value      double precision NOT NULL,
  PRIMARY KEY (site_key, metric_id)
);

-- Device events: inspections, departures, arrivals, rectifications, pump faults, gas alarms.
CREATE TABLE event (
  site_key     integer NOT NULL,
  time         timestamptz NOT NULL,
  type         text NOT NULL,
  data         jsonb NOT NULL DEFAULT '{}',
  data_md5     uuid GENERATED ALWAYS AS (md5(data::text)::uuid) STORED,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_key, time, type, data_md5)
);
CREATE INDEX event_site_time_idx ON event (site_key, time DESC);

-- Rejected messages with their reason and a bounded copy of the payload.
CREATE TABLE dead_letter (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at    timestamptz NOT NULL DEFAULT now(),
  topic          text NOT NULL,
  reason         text NOT NULL,
  detail         text,
  payload        text NOT NULL,
  payload_bytes  integer NOT NULL
);
CREATE INDEX dead_letter_received_idx ON dead_letter (received_at DESC);

CREATE TABLE app_user (
  id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username       text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.-]{3,64}$'),
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Device credentials for the embedded broker; the username is the site id.
CREATE TABLE device_credential (
  site_key       integer PRIMARY KEY REFERENCES site (key) ON DELETE CASCADE,
  password_hash  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE device_credential;
DROP TABLE app_user;
DROP TABLE dead_letter;
DROP TABLE event;
DROP TABLE reading_latest;
DROP TABLE reading_hourly;
DROP TABLE reading;
DROP TABLE metric;
DROP TABLE site;
