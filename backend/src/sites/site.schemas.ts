import { z } from 'zod';
import { isRealDate } from '../common/district-time.js';
import { queryEndTime, queryInt, queryTime } from '../common/http-schemas.js';
import { BUCKETS } from './series.repository.js';

/** Query schemas of the sites API. */
export const seriesQuery = z
  .object({
    metric: z.string().min(1).max(64),
    from: queryTime.optional(),
    to: queryEndTime.optional(),
    bucket: z.enum(BUCKETS).default('raw'),
  })
  .strict();

export const eventsQuery = z
  .object({
    from: queryTime.optional(),
    to: queryEndTime.optional(),
    type: z.string().max(32).optional(),
    limit: queryInt(1, 5000, 500),
  })
  .strict();

const districtDate = z.string().refine(isRealDate, 'a date YYYY-MM-DD (a day in TZ_DISTRICT)');
export const completenessQuery = z.object({ from: districtDate.optional(), to: districtDate.optional() }).strict();
