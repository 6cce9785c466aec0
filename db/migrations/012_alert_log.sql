-- Up Migration

-- The alert log (GET /api/alerts/log) filters every alert, resolved ones too, newest first:
-- by state, severity or site, each with the opening time for the order and time range.
-- (alert_state_idx covers only the open alerts.)
CREATE INDEX alert_log_state_idx ON alert (state, opened_at DESC);
CREATE INDEX alert_log_severity_idx ON alert (severity, opened_at DESC);
CREATE INDEX alert_log_site_idx ON alert (site_key, opened_at DESC);
-- The shift handover: alerts resolved after a shift's end were still open at it, and what
-- people did during it is read from the trail by time.
CREATE INDEX alert_resolved_idx ON alert (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX alert_event_at_idx ON alert_event (at);

-- Down Migration
DROP INDEX alert_event_at_idx;
DROP INDEX alert_resolved_idx;
DROP INDEX alert_log_site_idx;
DROP INDEX alert_log_severity_idx;
DROP INDEX alert_log_state_idx;
