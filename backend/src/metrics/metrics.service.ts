import { NOTIFY_CHANNELS, REJECT_REASONS } from '@tidewatch/contracts';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const HJ212_DROP_REASONS = ['address_limit', 'no_valid_frame', 'idle', 'too_many_frames', 'buffer_overflow'] as const;
export type Hj212DropReason = (typeof HJ212_DROP_REASONS)[number];

/** The hub's Prometheus metrics (listed in docs/contract.md §4.2), one registry per hub instance. */
export class HubMetrics {
  readonly registry = new Registry();

  readonly readingsIngested = new Counter({
    name: 'tidewatch_readings_ingested_total',
    help: 'Readings stored (duplicates not counted)',
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'tidewatch_readings_duplicate_total',
    help: 'Readings skipped because the same (site, metric, time) was already stored',
    registers: [this.registry],
  });
  readonly eventsIngested = new Counter({
    name: 'tidewatch_events_ingested_total',
    help: 'Device events stored',
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'tidewatch_ingest_rejected_total',
    help: 'Rejected messages (or parts of messages) by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly batchSeconds = new Histogram({
    name: 'tidewatch_ingest_batch_seconds',
    help: 'Time to write one ingest batch',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly batchRows = new Histogram({
    name: 'tidewatch_ingest_batch_rows',
    help: 'Readings per ingest batch',
    buckets: [1, 10, 50, 100, 500, 1000, 2500, 5000, 10000],
    registers: [this.registry],
  });
  readonly inflight = new Gauge({
    name: 'tidewatch_ingest_inflight',
    help: 'Messages received and not yet committed',
    registers: [this.registry],
  });
  readonly dbRetries = new Counter({
    name: 'tidewatch_ingest_db_retries_total',
    help: 'Batch writes retried after a transient database failure',
    registers: [this.registry],
  });
  readonly hj212Dropped = new Counter({
    name: 'tidewatch_hj212_connections_dropped_total',
    help: 'HJ 212 connections refused or closed by the hub, by why',
    labelNames: ['why'] as const,
    registers: [this.registry],
  });
  readonly liveClients = new Gauge({
    name: 'tidewatch_live_clients',
    help: 'Connected socket.io clients on /live',
    registers: [this.registry],
  });
  readonly liveSlowDropped = new Counter({
    name: 'tidewatch_live_slow_clients_dropped_total',
    help: 'socket.io clients disconnected because they did not read their updates',
    registers: [this.registry],
  });
  readonly clusterShardHeld = new Gauge({
    name: 'tidewatch_cluster_shard_held',
    help: 'Shards of sites whose alert rules this hub judges (1 per shard held; a hub on its own holds none: it judges every site)',
    labelNames: ['shard'] as const,
    registers: [this.registry],
  });
  readonly clusterLeader = new Gauge({
    name: 'tidewatch_cluster_leader',
    help: '1 while this hub runs the cluster\'s once-only tasks (always 1 on a hub on its own)',
    registers: [this.registry],
  });
  readonly clusterStreamDropped = new Counter({
    name: 'tidewatch_cluster_stream_dropped_total',
    help: 'Committed batches that could not be passed to the cluster stream (Redis away too long): stored, but no other hub judged them',
    registers: [this.registry],
  });
  readonly alertsOpen = new Gauge({
    name: 'tidewatch_alerts_open',
    help: 'Open alerts by severity',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });

  readonly notifications = new Counter({
    name: 'tidewatch_notifications_total',
    help: 'Duty-room channel messages (WeCom, DingTalk, SMS) by how they ended: sent, failed (for good) or dropped (queue full, hub stopping)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly notificationRecordsLost = new Counter({
    name: 'tidewatch_notification_records_lost_total',
    help: 'Delivery records never written to the database (their buffer overflowed while the database was away, or the database refused the row); the messages themselves were still sent',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tidewatch_process_' });
    for (const reason of REJECT_REASONS) this.rejected.inc({ reason }, 0);
    for (const why of HJ212_DROP_REASONS) this.hj212Dropped.inc({ why }, 0);
    for (const severity of ['critical', 'major', 'minor', 'warning']) this.alertsOpen.set({ severity }, 0);
    for (const channel of NOTIFY_CHANNELS) for (const outcome of ['sent', 'failed', 'dropped']) this.notifications.inc({ channel, outcome }, 0);
  }
}
