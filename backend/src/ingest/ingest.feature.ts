import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import type { DatabasePool } from '../database/pool.js';
import type { Logger } from '../logging/logger.js';
import { HubMetrics } from '../metrics/metrics.service.js';
import { Periodic, type OnceOnly } from '../common/periodic.js';
import type { SiteCatalogue } from '../sites/sites.feature.js';
import { writeBatch } from './batch.repository.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeadLettersRepository } from './dead-letters.repository.js';
import { IngestEvents } from './ingest-events.js';
import { IngestService } from './ingest.service.js';

export interface IngestFeature extends Feature {
  readonly ingest: IngestService;
  readonly events: IngestEvents;
}

/** Validated readings and events in batches into the database; committed batches announced on `events`. */
const LEARNED_INTERVAL_SAVE_MS = 30_000;

export function ingestFeature(pool: DatabasePool, catalogue: SiteCatalogue, metrics: HubMetrics, config: Config, log: Logger, onceOnly: OnceOnly = () => true): IngestFeature {
  const events = new IngestEvents();
  const ingest = new IngestService((rows) => writeBatch(pool, rows), catalogue.registry, metrics, events, config, log);
  const periodic = new Periodic(log);
  // What the hub learned of the sites' cadence and the registry does not hold yet is stored, for the
  // next start and every hub's registry; a failed save is simply tried again next time.
  const saveLearned = (): Promise<void> =>
    catalogue.sites.saveLearnedIntervals(
      catalogue.registry.all().flatMap((site) => {
        const learned = ingest.cadence.learnedS(site.key);
        return learned !== null && learned !== site.learned_interval_s ? [{ siteKey: site.key, intervalS: learned }] : [];
      }),
    );
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
    async start() {
      periodic.every(LEARNED_INTERVAL_SAVE_MS, 'learned intervals', saveLearned, onceOnly);
    },
    // Drains what is queued: every reading taken is committed (or redelivered by its device later).
    async stop() {
      periodic.stop();
      await ingest.close();
      if (onceOnly()) await saveLearned().catch((err: unknown) => log.warn({ err: String(err) }, 'learned intervals not saved'));
    },
  };
}
