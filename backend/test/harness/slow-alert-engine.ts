import type { BatchResult } from '../../src/ingest/batch.repository.js';
import { LocalBus } from '../../src/cluster/hub-bus.js';
import type { IngestEvents } from '../../src/ingest/ingest-events.js';
import type { Logger } from '../../src/logging/logger.js';
import type { HubMetrics } from '../../src/metrics/metrics.service.js';
import type { SiteRegistry } from '../../src/sites/site-registry.js';
import { AlertEngine } from '../../src/alerts/alert-engine.js';
import type { AlertStore } from '../../src/alerts/alerts.repository.js';
import type { RulesRepository } from '../../src/alerts/rules.repository.js';

/** An alert engine with no rules and no database whose every batch takes `delayMs`: a slow consumer. */
export async function slowEngine(events: IngestEvents, delayMs: number): Promise<AlertEngine> {
  const store = { open: async () => [], countOpenBySeverity: async () => ({}) } as unknown as AlertStore;
  const rules = { syncDefaults: async () => undefined, list: async () => [], overrides: async () => [], loadStates: async () => [], saveStates: async () => undefined } as unknown as RulesRepository;
  const registry = { all: () => [], byKey: () => undefined, lookup: () => undefined } as unknown as SiteRegistry;
  const metrics = { alertsOpen: { set: () => undefined } } as unknown as HubMetrics;
  const log = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined } as unknown as Logger;
  const engine = new AlertEngine(store, rules, registry, new LocalBus(events), metrics, { reannounceMin: 60, escalateMin: 60, derived: () => ({}), lastSeenMs: () => null, batchDelayMs: delayMs }, log);
  await engine.start();
  return engine;
}

export const emptyBatch = (): BatchResult => ({ inserted: 1, duplicates: 0, eventsInserted: 0, deadLetters: 0, latest: [], flaggedInserted: 0, flaggedLatest: [], events: [], stored: [], sites: [] });
