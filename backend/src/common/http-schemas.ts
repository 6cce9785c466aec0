import { districtTimeToMs, isSiteKind, MAX_PERIOD_S, SITE_ID_PATTERN, SITE_KINDS, timestampToMs } from '@tidewatch/contracts';
import { z } from 'zod';
import { districtZone } from './district-zone.js';

/** A date or date-time without a zone: read in the district's zone (docs/contract.md §4). */
const ZONELESS_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/;

function queryTimeSchema(endOfDay: boolean) {
  return z
    .union([
      z.string().regex(/^\d{1,15}$/).transform((ms) => timestampToMs(Number(ms))),
      z.string().regex(ZONELESS_TIME).transform((text) => districtTimeToMs(text, districtZone(), endOfDay)),
      z.string().transform((iso) => timestampToMs(iso)),
    ])
    .transform((ms) => new Date(ms))
    .refine((d) => Number.isFinite(d.getTime()), 'not a valid time');
}

/**
 * A time in a query string: epoch milliseconds, ISO-8601 with offset (that instant), or a
 * date or date-time without a zone, read in TZ_DISTRICT (a bare date: the day's start).
 */
export const queryTime = queryTimeSchema(false);
/** The end of a range: as queryTime, but a bare date means the end of that day (the day included). */
export const queryEndTime = queryTimeSchema(true);

export const siteIdParam = z.string().regex(SITE_ID_PATTERN, 'not a site id');

export const kindQuery = z.object({ kind: z.enum(SITE_KINDS).optional() }).strict();

/** Seconds between a site's reports, as an admin sets it (null: learn it from the data). */
const reportingIntervalS = z.number().int().min(1).max(MAX_PERIOD_S).nullable();

const params = z.record(z.string().max(64), z.unknown()).refine((p) => JSON.stringify(p).length <= 8192, 'params larger than 8 KiB');

export const siteCreateSchema = z
  .object({
    id: siteIdParam,
    kind: z.string().refine(isSiteKind, 'unknown kind'),
    name_zh: z.string().min(1).max(100),
    name_en: z.string().min(1).max(200),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    params: params.default({}),
    reporting_interval_s: reportingIntervalS.optional(),
  })
  .strict();

export const sitePatchSchema = z
  .object({
    name_zh: z.string().min(1).max(100).optional(),
    name_en: z.string().min(1).max(200).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    params: params.optional(),
    reporting_interval_s: reportingIntervalS.optional(),
  })
  .strict();

/** A database id in a path: decimal digits only (no 0x10, 1e1 or ' 16'). */
export const decimalId = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'a decimal id')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), 'a decimal id');

/** An integer in a query string, in [min, max]; decimal digits only. */
export function queryInt(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^[0-9]{1,9}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);
}
