import { isSiteKind, SITE_ID_PATTERN, SITE_KINDS, timestampSchema, timestampToMs } from '@tidewatch/contracts';
import { z } from 'zod';

/** A time in a query string: ISO-8601 with offset, or epoch milliseconds. */
export const queryTime = z
  .union([z.string().regex(/^\d{1,15}$/).transform(Number), z.string()])
  .pipe(timestampSchema)
  .transform((ts) => new Date(timestampToMs(ts)))
  .refine((d) => Number.isFinite(d.getTime()), 'not a valid time');

export const siteIdParam = z.string().regex(SITE_ID_PATTERN, 'not a site id');

export const kindQuery = z.object({ kind: z.enum(SITE_KINDS).optional() }).strict();

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
  })
  .strict();

export const sitePatchSchema = z
  .object({
    name_zh: z.string().min(1).max(100).optional(),
    name_en: z.string().min(1).max(200).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    params: params.optional(),
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
