import { isoToMs } from './payloads.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(tz, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in ms. */
export function tzOffsetMs(ms: number, tz: string): number {
  const parts = Object.fromEntries(formatter(tz).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** A date or date-time without a zone: YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss[.fff]]. */
const ZONELESS = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?)?$/;

/**
 * Epoch ms of a time as the district means it: a date or date-time without a zone is local
 * time in `tz` (TZ_DISTRICT); a bare date is that whole day there, so it starts a range at
 * the day's first instant and, with `endOfDay` (the end of a range), ends it after the day's
 * last (2026-10-01 in Asia/Shanghai: 2026-09-30T16:00Z … 2026-10-01T16:00Z). ISO-8601 with an
 * offset is that instant. NaN when the text names no real time.
 */
export function districtTimeToMs(text: string, tz: string, endOfDay = false): number {
  const m = ZONELESS.exec(text);
  if (!m) return isoToMs(text);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = ''] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}Z`;
  const dayAfter = endOfDay && m[4] === undefined ? 86_400_000 : 0;
  const asUtc = isoToMs(iso) + dayAfter;
  if (!Number.isFinite(asUtc)) return NaN;
  // The offset at the local wall time, corrected once for a change of offset in between.
  const first = asUtc - tzOffsetMs(asUtc, tz);
  return asUtc - tzOffsetMs(first, tz);
}
