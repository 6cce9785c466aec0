import {
  EVENT_DATA_SCHEMAS,
  MAX_BATCH_READINGS,
  MAX_FUTURE_SKEW_MS,
  MAX_PAYLOAD_BYTES,
  checkMetricValue,
  eventEnvelopeSchema,
  isEventType,
  metricFor,
  parseTopic,
  readFlags,
  telemetryBatchSchema,
  telemetryReadingSchema,
  timestampToMs,
  type AbnormalFlag,
  type EventType,
  type RejectReason,
  type SiteKind,
  type TelemetryReading,
  type Timestamp,
} from '@tidewatch/contracts';
import type { SiteRef } from '../sites/site-meta.js';

export type { SiteRef };

export interface ReadingRow {
  siteKey: number;
  metricId: number;
  timeMs: number;
  value: number;
  /** The seconds the value averages, as its device declared (`period_s`, an HJ 212 hourly packet). */
  periodS?: number;
  /**
   * Without a declared period: the seconds the value stands for in the hourly coverage, the
   * site's reporting interval when it arrived (set by the ingest service).
   */
  assumedS?: number;
}

/** A value its device flagged other than N: stored apart, never counted (docs/contract.md §2.2). */
export interface FlaggedRow extends ReadingRow {
  flag: AbnormalFlag;
}

export interface EventRow {
  siteKey: number;
  timeMs: number;
  type: EventType;
  data: Record<string, unknown>;
}

export interface StatusChange {
  siteKey: number;
  online: boolean;
  atMs: number;
}

export interface Rejection {
  reason: RejectReason;
  detail: string;
}

/** One MQTT message turned into rows to store and the parts that were rejected. */
export interface ParsedMessage {
  site: SiteRef | null;
  readings: ReadingRow[];
  /** Values flagged other than N. */
  flagged: FlaggedRow[];
  events: EventRow[];
  status: StatusChange | null;
  rejections: Rejection[];
}

export interface ParseContext {
  lookupSite(id: string): SiteRef | undefined;
  nowMs: number;
  retentionMs: number;
}

/** Event types and the kinds of site that may send them. */
const EVENT_KINDS: Record<EventType, readonly SiteKind[] | 'any'> = {
  inspection: ['fishing_port'],
  departure: ['fishing_port'],
  arrival: ['fishing_port'],
  rectified: 'any',
  pump_fault: ['pump_station'],
  pump_recovered: ['pump_station'],
  gas_alarm: ['gas_point'],
};

const MAX_DETAIL_ITEMS = 5;

function rejectOnly(site: SiteRef | null, reason: RejectReason, detail: string): ParsedMessage {
  return { site, readings: [], flagged: [], events: [], status: null, rejections: [{ reason, detail }] };
}

/** Collects rejections of one reason into one line: "3 values: a=…, b=…". */
class RejectionLog {
  private readonly byReason = new Map<RejectReason, string[]>();
  private readonly counts = new Map<RejectReason, number>();

  add(reason: RejectReason, item: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    const items = this.byReason.get(reason) ?? [];
    if (items.length < MAX_DETAIL_ITEMS) items.push(item);
    this.byReason.set(reason, items);
  }

  toList(): Rejection[] {
    return [...this.byReason].map(([reason, items]) => {
      const n = this.counts.get(reason) ?? items.length;
      const more = n > items.length ? ` (+${n - items.length} more)` : '';
      return { reason, detail: `${n} rejected: ${items.join('; ')}${more}` };
    });
  }
}

/** Resolves an optional device timestamp; a string when it is not acceptable. */
export function resolveTimestamp(ts: Timestamp | undefined, ctx: ParseContext): number | string {
  if (ts === undefined) return ctx.nowMs;
  const ms = timestampToMs(ts);
  if (!Number.isFinite(ms)) return `not a real time: ts ${JSON.stringify(ts)}`;
  if (ms > ctx.nowMs + MAX_FUTURE_SKEW_MS) return `ts ${new Date(ms).toISOString()} is more than 5 minutes in the future`;
  if (ms < ctx.nowMs - ctx.retentionMs) return `ts ${new Date(ms).toISOString()} is older than the retention window`;
  return ms;
}

function parseTelemetry(site: SiteRef, json: unknown, ctx: ParseContext): ParsedMessage {
  if (json !== null && typeof json === 'object' && Array.isArray((json as { readings?: unknown }).readings)) {
    const n = (json as { readings: unknown[] }).readings.length;
    if (n > MAX_BATCH_READINGS) return rejectOnly(site, 'too_many_readings', `${n} entries; at most ${MAX_BATCH_READINGS}`);
  }
  // The shape picks the schema, so that an error names the field (a union would only say "invalid input").
  const isBatch = json !== null && typeof json === 'object' && 'readings' in json;
  const parsed = (isBatch ? telemetryBatchSchema : telemetryReadingSchema).safeParse(json);
  if (!parsed.success) return rejectOnly(site, 'invalid_payload', summarizeZod(parsed.error.issues));
  const entries: TelemetryReading[] = 'readings' in parsed.data ? (parsed.data.readings as TelemetryReading[]) : [parsed.data as TelemetryReading];

  const log = new RejectionLog();
  const readings: ReadingRow[] = [];
  const flagged: FlaggedRow[] = [];
  entries.forEach((entry, i) => {
    const where = (detail: string): string => (entries.length > 1 ? `readings[${i}]: ${detail}` : detail);
    const timeMs = resolveTimestamp(entry.ts, ctx);
    if (typeof timeMs === 'string') {
      log.add('bad_timestamp', where(timeMs));
      return;
    }
    const flags = readFlags(entry.flags, entry.values);
    if (flags.all !== null) {
      // Which values the flags meant cannot be told: none of this reading's values is counted.
      log.add('bad_flag', where(`${flags.all}; ${Object.keys(entry.values).length} values not stored`));
      return;
    }
    const badFlag = flags.problems.length > 0 ? new Set(flags.problems.map((p) => p.metric)) : null;
    for (const p of flags.problems) log.add('bad_flag', where(p.detail));
    for (const [name, value] of Object.entries(entry.values)) {
      if (badFlag?.has(name)) continue;
      const def = metricFor(site.kind, name);
      if (!def) {
        log.add('unknown_metric', `${name} is not a metric of ${site.kind}`);
        continue;
      }
      const flag = flags.byMetric.get(name);
      const problem = checkMetricValue(def, value);
      // A flagged value says itself that it is not a normal reading (T over range, D fault): it is
      // kept with its flag out of the catalogue's range too, as long as it is a number.
      if (problem && !(flag && problem === 'out_of_range')) {
        log.add(problem, `${name}=${JSON.stringify(value) ?? String(value)} (accepted ${def.min}–${def.max} ${def.unit})`);
        continue;
      }
      // Every row of one shape (the ingest service fills assumedS): no hidden-class changes on the hot path.
      const row: ReadingRow = { siteKey: site.key, metricId: def.id, timeMs, value: value as number, periodS: entry.period_s, assumedS: undefined };
      if (flag) flagged.push({ ...row, flag });
      else readings.push(row);
    }
  });
  return { site, readings, flagged, events: [], status: null, rejections: log.toList() };
}

function parseEvent(site: SiteRef, json: unknown, ctx: ParseContext): ParsedMessage {
  const envelope = eventEnvelopeSchema.safeParse(json);
  if (!envelope.success) return rejectOnly(site, 'invalid_event', summarizeZod(envelope.error.issues));
  const { type, ts, data } = envelope.data;
  if (!isEventType(type)) return rejectOnly(site, 'unknown_event_type', `unknown event type ${JSON.stringify(type)}`);
  const kinds = EVENT_KINDS[type];
  if (kinds !== 'any' && !kinds.includes(site.kind)) {
    return rejectOnly(site, 'invalid_event', `${type} events do not come from ${site.kind} sites`);
  }
  const checked = EVENT_DATA_SCHEMAS[type].safeParse(data);
  if (!checked.success) return rejectOnly(site, 'invalid_event', `${type}: ${summarizeZod(checked.error.issues)}`);
  // PostgreSQL's jsonb cannot hold a NUL character; refuse it here rather than fail the batch.
  if (JSON.stringify(checked.data).includes('\\u0000')) return rejectOnly(site, 'invalid_event', `${type}: text contains a NUL character`);
  const timeMs = resolveTimestamp(ts, ctx);
  if (typeof timeMs === 'string') return rejectOnly(site, 'bad_timestamp', timeMs);
  return {
    site,
    readings: [],
    flagged: [],
    events: [{ siteKey: site.key, timeMs, type, data: checked.data as Record<string, unknown> }],
    status: null,
    rejections: [],
  };
}

function parseStatus(site: SiteRef, text: string, ctx: ParseContext): ParsedMessage {
  const value = text.trim();
  if (value !== 'online' && value !== 'offline') {
    return rejectOnly(site, 'bad_status', `status must be "online" or "offline", got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return { site, readings: [], flagged: [], events: [], status: { siteKey: site.key, online: value === 'online', atMs: ctx.nowMs }, rejections: [] };
}

/** Payloads are shallow; deeper nesting is refused before any recursive code walks it. */
export const MAX_JSON_DEPTH = 16;

/** The deepest nesting of brackets in JSON text (brackets inside strings not counted). */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

function summarizeZod(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, MAX_DETAIL_ITEMS)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * Turns one device message into rows, validating topic, size, JSON, shape, metrics,
 * values and timestamps (docs/contract.md §2). Pure: the caller supplies the clock and the sites.
 */
export function parseDeviceMessage(topic: string, payload: Buffer, ctx: ParseContext): ParsedMessage {
  const parsedTopic = parseTopic(topic);
  if (!parsedTopic) return rejectOnly(null, 'bad_topic', `not a device topic: ${topic.slice(0, 200)}`);
  const site = ctx.lookupSite(parsedTopic.siteId) ?? null;
  if (!site) return rejectOnly(null, 'unknown_site', `no site ${parsedTopic.siteId}`);
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return rejectOnly(site, 'oversized', `${payload.length} bytes; at most ${MAX_PAYLOAD_BYTES}`);
  }
  const text = payload.toString('utf8');
  if (parsedTopic.channel === 'status') return parseStatus(site, text, ctx);
  const depth = jsonNestingDepth(text);
  if (depth > MAX_JSON_DEPTH) return rejectOnly(site, 'malformed_json', `nested ${depth} levels deep; at most ${MAX_JSON_DEPTH}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return rejectOnly(site, 'malformed_json', (err as Error).message.slice(0, 200));
  }
  return parsedTopic.channel === 'telemetry' ? parseTelemetry(site, json, ctx) : parseEvent(site, json, ctx);
}
