import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import type { DatabasePool } from '../database/pool.js';
import type { Logger } from '../logging/logger.js';
import { HubMetrics } from '../metrics/metrics.service.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import { writeBatch } from './batch-writer.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeadLettersRepository } from './dead-letters.repository.js';
import { IngestEvents } from './ingest-events.js';
import { IngestService } from './ingest.service.js';

export interface IngestFeature extends Feature {
  readonly ingest: IngestService;
  readonly events: IngestEvents;
}

/** Validated readings and events in batches into the database; committed batches announced on `events`. */
export function ingestFeature(pool: DatabasePool, registry: SiteRegistry, metrics: HubMetrics, config: Config, log: Logger): IngestFeature {
  const events = new IngestEvents();
  const ingest = new IngestService((rows) => writeBatch(pool, rows), registry, metrics, events, config, log);
  return {
    name: 'ingest',
    ingest,
    events,
    controllers: [DeadLettersController],
    providers: [
      { provide: IngestEvents, useValue: events },
      { provide: IngestService, useValue: ingest },
      { provide: DeadLettersRepository, useValue: new DeadLettersRepository(pool) },
    ],
    // Drains what is queued: every reading taken is committed (or redelivered by its device later).
    stop: () => ingest.close(),
  };
}
