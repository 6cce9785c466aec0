/**
 * Data review (数据审核): an operator marks a site's data, or one metric of it, invalid over a
 * period, with a reason; a mark may be withdrawn. Marks and withdrawals are kept, never deleted;
 * marked data stay stored but count in no statistic (AQI, goals, reports).
 */
import { z } from 'zod';
import { timestampSchema, timestampToMs } from './payloads.js';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './text.js';

/** Why data were marked invalid. `other` needs a note saying why. */
export const REVIEW_REASONS = ['maintenance', 'calibration', 'instrument_fault', 'power_or_comms_failure', 'external_interference', 'other'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export const REVIEW_REASON_NAMES: Record<ReviewReason, { zh: string; en: string }> = {
  maintenance: { zh: '维护', en: 'Maintenance' },
  calibration: { zh: '校准', en: 'Calibration' },
  instrument_fault: { zh: '仪器故障', en: 'Instrument fault' },
  power_or_comms_failure: { zh: '停电或通讯故障', en: 'Power or communication failure' },
  external_interference: { zh: '外部干扰', en: 'External interference' },
  other: { zh: '其他', en: 'Other' },
};

/** The longest period one mark may cover. */
export const REVIEW_MAX_DAYS = 366;
/** The longest note or withdrawal reason, in characters. */
export const REVIEW_TEXT_MAX = 500;
/** How far past now a period may end (clocks differ a little). */
export const REVIEW_CLOCK_SLACK_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * Marks cover whole hours, as hourly values are what is reviewed: the start is floored and the
 * end ceiled to the UTC hour (the district's offset is whole hours, so these are its hours too).
 */
export function reviewHours(fromMs: number, toMs: number): { fromMs: number; toMs: number } {
  return { fromMs: Math.floor(fromMs / HOUR_MS) * HOUR_MS, toMs: Math.ceil(toMs / HOUR_MS) * HOUR_MS };
}

/** One mark as the API gives it (times ISO-8601 UTC; `from`/`to` already whole hours). */
export interface ReviewMark {
  id: number;
  site: string;
  /** The metric marked, or null for all of the site's data. */
  metric: string | null;
  from: string;
  to: string;
  reason: ReviewReason;
  note: string | null;
  created_by: string;
  created_at: string;
  withdrawn_by: string | null;
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
}

const storable = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)
    .transform((s) => s.trim());

const instant = timestampSchema.transform((ts) => timestampToMs(ts)).refine((ms) => Number.isFinite(ms), 'not a valid time');

/** The body of `POST /api/sites/:id/reviews`; its output has whole-hour `from`/`to` in epoch ms. */
export const reviewCreateSchema = z
  .object({
    from: instant,
    to: instant,
    metric: z.string().min(1).max(64).optional(),
    reason: z.enum(REVIEW_REASONS, { error: `reason must be one of ${REVIEW_REASONS.join(', ')}` }),
    note: storable(REVIEW_TEXT_MAX).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.from >= b.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the period must end after it starts (from < to)' });
    if (b.to > Date.now() + REVIEW_CLOCK_SLACK_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the period must not end in the future' });
    if (b.to - b.from > REVIEW_MAX_DAYS * 24 * HOUR_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: `a mark covers at most ${REVIEW_MAX_DAYS} days` });
    if (b.reason === 'other' && !b.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'reason other needs a note saying why' });
  })
  .transform((b) => ({ ...b, ...reviewHours(b.from, b.to), note: b.note || null, metric: b.metric ?? null }));
export type ReviewCreate = z.output<typeof reviewCreateSchema>;

/** The body of `POST /api/reviews/:id/withdraw`: why the mark no longer holds. */
export const reviewWithdrawSchema = z
  .object({ reason: storable(REVIEW_TEXT_MAX).refine((s) => s.length > 0, 'a reason for the withdrawal is required') })
  .strict();
export type ReviewWithdraw = z.output<typeof reviewWithdrawSchema>;
