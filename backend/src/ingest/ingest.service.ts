import { NOMINAL_INTERVAL_S, storableText, type RejectReason } from '@tidewatch/contracts';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { HubMetrics } from '../metrics/metrics.service.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import type { BatchResult, BatchRows, DeadLetterRow } from './batch.repository.js';
import { CadenceLearner, NO_RISES, type CadenceRise } from './cadence-learner.js';
import { IngestBatcher, type BatchItem } from './ingest-batcher.js';
import type { IngestEvents } from './ingest-events.js';
import { parseDeviceMessage, type ParsedMessage, type Rejection } from './message-parser.js';

/** A bounded, storable copy of a payload: no NUL bytes (PostgreSQL text refuses them). */
export function boundedPayloadCopy(payload: Buffer, maxBytes: number): string {
  return storableText(payload.subarray(0, maxBytes).toString('utf8'));
}

/**
 * A dead letter whose every text is storable: topic, detail and payload come from outside
 * (a metric name or an MN may hold a NUL) and must never make the database refuse the
 * batch that carries it, nor the dead letter filed in its place.
 */
export function deadLetterRow(receivedAtMs: number, topic: string, reason: RejectReason, detail: string, payload: Buffer, payloadMax: number): DeadLetterRow {
  return {
    receivedAtMs,
    topic: storableText(topic, 1024),
    reason,
    detail: storableText(detail, 1000),
    payload: boundedPayloadCopy(payload, payloadMax),
    payloadBytes: payload.length,
  };
}

/**
 * The ingest entry point shared by every transport (MQTT subscriber, embedded broker,
 * HJ 212): parse and validate, batch, store; the returned promise settles after commit,
 * and only then may the transport acknowledge the message.
 */
export class IngestService {
  private readonly batcher: IngestBatcher;
  /** Each site's reporting interval, learned from its readings' times (docs/architecture.md §6). */
  readonly cadence = new CadenceLearner();
  private inflight = 0;
  private roomWaiters: { limit: number; resolve: () => void }[] = [];

  constructor(
    writeBatch: (rows: BatchRows) => Promise<BatchResult>,
    private readonly registry: SiteRegistry,
    private readonly metrics: HubMetrics,
    events: IngestEvents,
    private readonly config: Config,
    private readonly log: Logger,
  ) {
    this.batcher = new IngestBatcher({
      maxRows: config.INGEST_BATCH_MAX,
      maxDelayMs: config.INGEST_BATCH_MS,
      writers: 2,
      write: writeBatch,
      onCommitted: (result, seconds) => {
        metrics.readingsIngested.inc(result.inserted);
        metrics.duplicates.inc(result.duplicates);
        metrics.eventsIngested.inc(result.eventsInserted);
        metrics.batchSeconds.observe(seconds);
        metrics.batchRows.observe(result.inserted + result.duplicates);
        return events.emitCommitted(result);
      },
      onRetry: (err, attempt, delayMs) => {
        metrics.dbRetries.inc();
        (attempt === 1 ? log.warn.bind(log) : log.debug.bind(log))(
          { err: String(err), attempt, delayMs },
          'ingest batch not stored; retrying (acknowledgements held)',
        );
      },
      onRefused: (err) => log.error({ err: String(err) }, 'database refused a batch; isolating the message'),
    });
  }

  /** Messages received and not yet committed. */
  get inflightCount(): number {
    return this.inflight;
  }

  /** Resolves once fewer than `limit` messages are in flight. */
  whenInflightBelow(limit: number): Promise<void> {
    if (this.inflight < limit) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ limit, resolve }));
  }

  async submit(topic: string, payload: Buffer, receivedAtMs = Date.now()): Promise<void> {
    const parsed = parseDeviceMessage(topic, payload, {
      lookupSite: this.registry.lookup,
      nowMs: receivedAtMs,
      retentionMs: this.config.RETENTION_DAYS * 86_400_000,
    });
    const deadLetter = (r: Rejection): DeadLetterRow => deadLetterRow(receivedAtMs, topic, r.reason, r.detail, payload, this.config.DEAD_LETTER_PAYLOAD_MAX);
    for (const r of parsed.rejections) this.metrics.rejected.inc({ reason: r.reason });
    const rejudge = this.assignCoverage(parsed);
    const item: BatchItem = {
      rows: {
        readings: parsed.readings,
        flagged: parsed.flagged,
        events: parsed.events,
        statuses: parsed.status ? [parsed.status] : [],
        deadLetters: parsed.rejections.map(deadLetter),
        rejudge,
      },
      asDeadLetter: (error) => {
        this.metrics.rejected.inc({ reason: 'invalid_payload' });
        return deadLetter({ reason: 'invalid_payload', detail: `not storable: ${error.slice(0, 300)}` });
      },
    };
    this.inflight++;
    this.metrics.inflight.set(this.inflight);
    try {
      await this.batcher.submit(item);
    } finally {
      this.inflight--;
      this.metrics.inflight.set(this.inflight);
      if (this.roomWaiters.length > 0) {
        const ready = this.roomWaiters.filter((w) => this.inflight < w.limit);
        this.roomWaiters = this.roomWaiters.filter((w) => this.inflight >= w.limit);
        for (const w of ready) w.resolve();
      }
    }
  }

  /**
   * Learns the site's cadence from the times of this message's readings (flagged ones too:
   * they are reports all the same), and gives each value that declared no period the
   * site's reporting interval as its coverage: set by an admin, else learned, else nominal.
   */
  private assignCoverage(parsed: ParsedMessage): readonly CadenceRise[] {
    const { readings, flagged } = parsed;
    const firstRow = readings[0] ?? flagged[0];
    const site = parsed.site && firstRow ? this.registry.byKey(parsed.site.key) : undefined;
    if (!site || !firstRow) return NO_RISES;
    this.cadence.seed(site.key, site.learned_interval_s);
    const set = site.reporting_interval_s;
    const nominal = NOMINAL_INTERVAL_S[site.kind];
    const oneTime = (r: { timeMs: number }): boolean => r.timeMs === firstRow.timeMs;
    if (readings.every(oneTime) && flagged.every(oneTime)) {
      // One report (the usual message): one observation, one interval for its values.
      const intervalS = set ?? this.cadence.observe(site.key, firstRow.timeMs) ?? nominal;
      for (const r of readings) if (r.periodS === undefined) r.assumedS = intervalS;
    } else {
      const intervalAt = new Map<number, number>();
      const times = [...new Set([...readings, ...flagged].map((r) => r.timeMs))].sort((a, b) => a - b);
      for (const t of times) intervalAt.set(t, set ?? this.cadence.observe(site.key, t) ?? nominal);
      for (const r of readings) if (r.periodS === undefined) r.assumedS = intervalAt.get(r.timeMs)!;
    }
    const rises = this.cadence.takeRises();
    // With an interval set by an admin, what the hub learns judges nothing.
    return set === null ? rises : NO_RISES;
  }

  /**
   * Files a message that never reached the device-message parser (an unreadable HJ 212
   * frame, say) as a dead letter; resolves once it is stored.
   */
  async reject(topic: string, payload: Buffer, reason: RejectReason, detail: string, receivedAtMs = Date.now()): Promise<void> {
    this.metrics.rejected.inc({ reason });
    const dead = deadLetterRow(receivedAtMs, topic, reason, detail, payload, this.config.DEAD_LETTER_PAYLOAD_MAX);
    await this.batcher.submit({ rows: { readings: [], flagged: [], events: [], statuses: [], deadLetters: [dead] }, asDeadLetter: () => dead });
  }

  /** Stores what is pending, waiting at most `timeoutMs` (unacknowledged messages are redelivered anyway). */
  async close(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.batcher.drain(),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.log.warn({ pending: this.batcher.pendingItems }, 'ingest did not drain in time; the broker will redeliver');
          resolve();
        }, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
