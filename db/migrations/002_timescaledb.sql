-- Up Migration
-- Every TimescaleDB-only statement of Tidewatch lives in this file. On plain PostgreSQL
-- (the embedded default, CI) it does nothing, and every query of the hub runs unchanged.
-- The retention period comes from RETENTION_DAYS through the setting
-- tidewatch.retention_days, which the migration runner sets on its session.
DO $$
DECLARE
  retention interval := make_interval(days => coalesce(nullif(current_setting('tidewatch.retention_days', true), '')::int, 1825));
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
     OR current_setting('shared_preload_libraries') NOT LIKE '%timescaledb%' THEN
    RAISE NOTICE 'TimescaleDB is not available: reading and event stay plain tables';
    RETURN;
  END IF;

  CREATE EXTENSION IF NOT EXISTS timescaledb;

  PERFORM create_hypertable('reading', by_range('time', INTERVAL '7 days'), migrate_data => true, if_not_exists => true);
  ALTER TABLE reading SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'site_key, metric_id',
    timescaledb.compress_orderby = 'time DESC'
  );
  PERFORM add_compression_policy('reading', INTERVAL '7 days', if_not_exists => true);
  PERFORM add_retention_policy('reading', retention, if_not_exists => true);

  PERFORM create_hypertable('event', by_range('time', INTERVAL '30 days'), migrate_data => true, if_not_exists => true);
  ALTER TABLE event SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'site_key',
    timescaledb.compress_orderby = 'time DESC'
  );
  PERFORM add_compression_policy('event', INTERVAL '30 days', if_not_exists => true);
  PERFORM add_retention_policy('event', retention, if_not_exists => true);
END
$$;

-- Down Migration
-- Hypertables cannot be turned back into plain tables in place; nothing to undo on plain PostgreSQL.
