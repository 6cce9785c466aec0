import { DUTY_AREAS, MAX_ROSTER_DAYS, MAX_SHIFT_HOURS } from '@tidewatch/contracts';
import { z } from 'zod';
import { queryEndTime, queryTime } from '../common/http-schemas.js';

/** Query and body schemas of the duty roster API (docs/contract.md §4.5). */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A period's bounds: from before to, at most MAX_ROSTER_DAYS apart (default: the coming week, see the service). */
export const rosterQuery = z
  .object({ from: queryTime.optional(), to: queryEndTime.optional(), area: z.enum(DUTY_AREAS).optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] })
  .refine((q) => !q.from || !q.to || q.to.getTime() - q.from.getTime() <= MAX_ROSTER_DAYS * DAY_MS, { message: `at most ${MAX_ROSTER_DAYS} days at once`, path: ['to'] });

/** A username as app_user allows it. */
const username = z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, 'not a username');
/** A shift's instant: ISO-8601 with offset, epoch milliseconds, or a date-time without a zone read in district time. */
const instant = z.string().max(40).pipe(queryTime);
const position = z.number().int().min(1).max(9);
const note = z.string().trim().max(500);

/** The rules every shift obeys, whole or after a change: end after start, at most MAX_SHIFT_HOURS. */
export function shiftPeriodProblem(startMs: number, endMs: number): string | null {
  if (endMs <= startMs) return 'end_at must be after start_at';
  if (endMs - startMs > MAX_SHIFT_HOURS * HOUR_MS) return `a shift lasts at most ${MAX_SHIFT_HOURS / 24} days`;
  return null;
}

export const shiftCreateBody = z
  .object({ area: z.enum(DUTY_AREAS), username, position: position.default(1), start_at: instant, end_at: instant, note: note.default('') })
  .strict()
  .superRefine((b, ctx) => {
    const problem = shiftPeriodProblem(b.start_at.getTime(), b.end_at.getTime());
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['end_at'] });
  });

/** A change of some of a shift's fields; the whole shift is checked again once changed. */
export const shiftPatchBody = z
  .object({ area: z.enum(DUTY_AREAS).optional(), username: username.optional(), position: position.optional(), start_at: instant.optional(), end_at: instant.optional(), note: note.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export type ShiftCreate = z.infer<typeof shiftCreateBody>;
export type ShiftPatch = z.infer<typeof shiftPatchBody>;
