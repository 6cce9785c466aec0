-- Up Migration

-- Deliveries of the duty-room channels (WeCom and DingTalk robots, the SMS gateway): one row
-- per message to one target, written by the hub in batches as it goes (pending while it is
-- retried, then sent, failed or dropped). `target` is the URL with its key or token masked.
-- Read by GET /api/notifications (docs/contract.md §4.6), newest first, filtered by alert,
-- channel or outcome.
CREATE TABLE notification_delivery (
  id              uuid PRIMARY KEY,
  channel         text NOT NULL CHECK (channel IN ('wecom', 'dingtalk', 'sms')),
  target          text NOT NULL,
  alert_id        bigint NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
  event           text NOT NULL,
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  outcome         text NOT NULL CHECK (outcome IN ('pending', 'sent', 'failed', 'dropped')),
  last_error      text,
  http_status     integer,
  errcode         integer,
  created_at      timestamptz NOT NULL,
  last_attempt_at timestamptz,
  sent_at         timestamptz
);
-- Newest first (the list, and the retention sweep by age)…
CREATE INDEX notification_created_idx ON notification_delivery (created_at DESC, id);
-- …one alert's deliveries…
CREATE INDEX notification_alert_idx ON notification_delivery (alert_id, created_at DESC);
-- …by channel, and by outcome (what failed).
CREATE INDEX notification_channel_idx ON notification_delivery (channel, created_at DESC);
CREATE INDEX notification_outcome_idx ON notification_delivery (outcome, created_at DESC);

-- Down Migration
DROP TABLE notification_delivery;
