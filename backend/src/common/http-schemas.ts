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

export const loginSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const userCreateSchema = z
  .object({
    username: z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, '3–64 letters, digits, _ . -'),
    password: z.string().min(10, 'at least 10 characters').max(256),
    role: z.enum(['viewer', 'operator', 'admin']),
  })
  .strict();
