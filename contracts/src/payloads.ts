import { z } from 'zod';
import { MAX_PERIOD_S } from './cadence.js';

/** Device message limits (docs/contract.md §2.5). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const MAX_BATCH_READINGS = 1000;
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * Why a message (or one value of it) was rejected. These are the `reason` labels of
 * `tidewatch_ingest_rejected_total` and the `reason` of a dead letter.
 */
export const REJECT_REASONS = [
  'bad_topic',
  'unknown_site',
  'oversized',
  'malformed_json',
  'invalid_payload',
  'too_many_readings',
  'unknown_metric',
  'wrong_type',
  'nan',
  'out_of_range',
  'bad_timestamp',
  'unknown_event_type',
  'invalid_event',
  'bad_status',
  'not_authorized',
  'bad_frame',
  'bad_flag',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** ISO-8601 with an explicit offset (Z or ±hh:mm), or epoch milliseconds. */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** The last millisecond of the year 9999: later instants are refused, not rolled over. */
export const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The shape of a timestamp; whether it names a real instant is timestampToMs's answer. */
export const timestampSchema = z.union([z.number().int().nonnegative(), z.string().regex(ISO_WITH_OFFSET, 'ISO-8601 timestamp with offset')]);
export type Timestamp = z.infer<typeof timestampSchema>;

/** True when year, month and day name a real day of the Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * Epoch ms of an ISO-8601 time with offset, or NaN unless every field is in its range
 * (Date.parse would turn 2026-02-30 into March 2 and 24:00 into the next day).
 */
export function isoToMs(text: string): number {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s = '0', , zone] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return NaN;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return NaN;
  if (zone !== 'Z') {
    const digits = zone!.replace(':', '');
    if (Number(digits.slice(1, 3)) > 14 || Number(digits.slice(3)) > 59) return NaN;
  }
  const ms = Date.parse(text);
  return ms <= MAX_EPOCH_MS ? ms : NaN;
}

/** Epoch ms of a timestamp, or NaN when it does not name a real instant. */
export function timestampToMs(ts: Timestamp): number {
  if (typeof ts === 'number') return Number.isSafeInteger(ts) && ts >= 0 && ts <= MAX_EPOCH_MS ? ts : NaN;
  return isoToMs(ts);
}

/**
 * Values are checked one by one against the metric catalogue by the hub, so that one bad
 * value is reported precisely; the schema only fixes the shape.
 */
const valuesSchema = z.record(z.string().max(64), z.unknown()).refine((v) => Object.keys(v).length > 0, {
  message: 'values must not be empty',
});

export const telemetryReadingSchema = z.object({
  ts: timestampSchema.optional(),
  values: valuesSchema,
  /** Optional data flags, metric → one letter of DATA_FLAGS; checked per value by the hub. */
  flags: z.unknown().optional(),
  /**
   * Optional: the seconds the values average, starting at `ts` (300 for a 5-minute mean,
   * 3600 for an hourly mean). Absent: the values stand for the site's reporting interval.
   */
  period_s: z.number().int().min(1).max(MAX_PERIOD_S).optional(),
});
export type TelemetryReading = z.infer<typeof telemetryReadingSchema>;

export const telemetryBatchSchema = z.object({
  readings: z.array(telemetryReadingSchema).min(1),
});

export const telemetryPayloadSchema = z.union([telemetryReadingSchema, telemetryBatchSchema]);
export type TelemetryPayload = z.infer<typeof telemetryPayloadSchema>;

const vessel = z.string().min(1).max(64);
const shortText = z.string().max(200);

export const EVENT_DATA_SCHEMAS = {
  inspection: z.object({
    vessel,
    result: z.enum(['pass', 'fail']),
    hazards: z.array(z.string().min(1).max(64)).max(50).default([]),
    inspector: shortText.optional(),
  }),
  departure: z.object({ vessel }),
  arrival: z.object({ vessel }),
  rectified: z
    .object({ vessel: vessel.optional(), ref: shortText.optional(), hazard: z.string().min(1).max(64) })
    .refine((d) => d.vessel !== undefined || d.ref !== undefined, { message: 'vessel or ref is required' }),
  pump_fault: z.object({ pump: z.number().int().min(1).max(16), code: shortText.optional() }),
  pump_recovered: z.object({ pump: z.number().int().min(1).max(16), code: shortText.optional() }),
  gas_alarm: z.object({ level: z.union([z.literal(1), z.literal(2)]) }),
} as const;
export type EventType = keyof typeof EVENT_DATA_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_DATA_SCHEMAS, value);
}

export const eventEnvelopeSchema = z.object({
  ts: timestampSchema.optional(),
  type: z.string().min(1).max(32),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export const SITE_STATUS_VALUES = ['online', 'offline'] as const;
export type DeviceStatus = (typeof SITE_STATUS_VALUES)[number];
