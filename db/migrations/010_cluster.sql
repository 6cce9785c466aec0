-- Up Migration
-- Several hubs on one database (docs/architecture.md §13): each site's alert rules are judged
-- by the one hub holding its shard (site_key % shard count). The shard's position in the
-- cluster's stream of committed batches is saved with its sites' rule states, so that the
-- hub taking the shard over replays exactly what came after them.
CREATE TABLE rule_shard_cursor (
  shard      smallint PRIMARY KEY,
  position   text NOT NULL,
  saved_at   timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE rule_shard_cursor;
