import { randomInt } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import type { DatabasePool } from '../database/pool.js';
import type { IngestEvents } from '../ingest/ingest-events.js';
import { CLUSTER_STATUS } from '../health/broker-status.js';
import type { Logger } from '../logging/logger.js';
import type { HubMetrics } from '../metrics/metrics.service.js';
import { HubBus, LocalBus } from './hub-bus.js';
import { LeasesRepository } from './leases.repository.js';
import { RedisBus } from './redis-bus.js';
import { ShardLeases, WholeDistrict, type SiteOwnership } from './site-ownership.js';

/** The committed batches a hub taking over sites replays (the cluster's stream). */
export interface BatchReplay {
  /** Where this hub began reading the stream. */
  readonly startPosition: string;
  range: RedisBus['range'];
  oldestPosition(): Promise<string | null>;
}

export interface ClusterFeature extends Feature {
  readonly bus: HubBus;
  readonly ownership: SiteOwnership;
  /** Null on a single hub. */
  readonly replay: BatchReplay | null;
}

/**
 * One hub, or one of a cluster (REDIS_URL set): the bus every part of the hub listens to for
 * committed batches and alert changes, and which sites this hub judges (docs/architecture.md §13).
 */
export function clusterFeature(pool: DatabasePool, events: IngestEvents, metrics: HubMetrics, config: Config, log: Logger): ClusterFeature {
  if (!config.REDIS_URL) {
    metrics.clusterLeader.set(1);
    const bus = new LocalBus(events);
    return {
      name: 'cluster',
      bus,
      ownership: new WholeDistrict(),
      replay: null,
      providers: [
        { provide: HubBus, useValue: bus },
        { provide: CLUSTER_STATUS, useValue: () => null },
      ],
    };
  }
  const bus = new RedisBus(config.REDIS_URL, `${config.CLUSTER_KEY}:committed`, config.CLUSTER_STREAM_KEEP_S, log, () => metrics.clusterStreamDropped.inc());
  const ownership = new ShardLeases((onLost) => new LeasesRepository(pool, randomInt(1, 2 ** 31 - 1), onLost), config.CLUSTER_REBALANCE_MS, log, metrics);
  return {
    name: 'cluster',
    bus,
    ownership,
    replay: bus,
    providers: [
      { provide: HubBus, useValue: bus },
      { provide: CLUSTER_STATUS, useValue: () => bus.connected },
    ],
    start: () => bus.start(events),
    async stop() {
      await ownership.stop();
      await bus.stop();
    },
  };
}
