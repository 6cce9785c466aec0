-- Up Migration
-- Archived monthly reports: the figures of a month that has ended, kept as first computed
-- so that a published report does not change; an admin may regenerate one (late data).
CREATE TABLE report (
  month         text PRIMARY KEY CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  figures       jsonb NOT NULL,
  generated_at  timestamptz NOT NULL DEFAULT now(),
  generated_by  text
);

-- Down Migration
DROP TABLE report;
