import { districtTimeToMs } from '@tidewatch/contracts';
import { InvalidRequestError } from '../common/domain-errors.js';
import { localDate, tzOffsetMs } from '../common/district-time.js';

/** Duty shifts are 8 hours, starting at 00:00, 08:00 and 16:00 district time. */
export const SHIFT_HOURS = 8;
const SHIFT_MS = SHIFT_HOURS * 3_600_000;
/** A handover covers at most a week: longer periods are the alert log's job. */
export const MAX_HANDOVER_MS = 7 * 86_400_000;

export interface Period {
  fromMs: number;
  toMs: number;
}

/** The shift that contains the instant `ms`, in the district's zone `tz`. */
export function shiftAt(ms: number, tz: string): Period {
  const date = localDate(ms, tz);
  const hourOfDay = new Date(ms + tzOffsetMs(ms, tz)).getUTCHours();
  const startHour = Math.floor(hourOfDay / SHIFT_HOURS) * SHIFT_HOURS;
  const fromMs = districtTimeToMs(`${date}T${String(startHour).padStart(2, '0')}:00`, tz);
  const toMs = startHour + SHIFT_HOURS >= 24 ? districtTimeToMs(date, tz, true) : districtTimeToMs(`${date}T${String(startHour + SHIFT_HOURS).padStart(2, '0')}:00`, tz);
  return { fromMs, toMs };
}

/**
 * The period of a handover: both ends as given; one end given, 8 hours from or to it;
 * neither, the current shift. Refused when it is empty, reversed or longer than a week.
 */
export function handoverPeriod(from: Date | undefined, to: Date | undefined, nowMs: number, tz: string): Period {
  const fromMs = from?.getTime();
  const toMs = to?.getTime();
  const period =
    fromMs !== undefined && toMs !== undefined
      ? { fromMs, toMs }
      : fromMs !== undefined
        ? { fromMs, toMs: fromMs + SHIFT_MS }
        : toMs !== undefined
          ? { fromMs: toMs - SHIFT_MS, toMs }
          : shiftAt(nowMs, tz);
  if (period.toMs <= period.fromMs) throw new InvalidRequestError('from must be before to');
  if (period.toMs - period.fromMs > MAX_HANDOVER_MS) throw new InvalidRequestError('a handover covers at most 7 days');
  return period;
}
