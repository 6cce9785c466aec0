import { districtTimeToMs } from '@tidewatch/contracts';

export const DEFAULT_TZ = 'Asia/Shanghai';

/**
 * The backfill period of `--from`/`--to` as the district means it: a date or date-time
 * without a zone is local time in `tz` (TZ_DISTRICT), a bare `--to` date includes that day
 * (up to now when the day is today), ISO-8601 with an offset is that instant. A string
 * says what is wrong.
 */
export function backfillPeriod(from: string | undefined, to: string | undefined, tz: string, nowMs: number): { fromMs: number; toMs: number } | string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return `unknown time zone ${tz}`;
  }
  const fromMs = districtTimeToMs(from ?? '', tz);
  const endMs = to === undefined ? nowMs : districtTimeToMs(to, tz, true);
  const bareDate = to !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const toMs = bareDate ? Math.min(endMs, nowMs) : endMs;
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs >= toMs) return '--from and --to must be dates with --from before --to';
  if (toMs > nowMs + 60_000) return '--to must not be in the future';
  return { fromMs, toMs };
}
