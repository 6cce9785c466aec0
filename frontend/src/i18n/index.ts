import { createI18n } from 'vue-i18n';
import { en, zh } from './messages';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'tidewatch.lang';

/** Days and times are shown in the district's time zone, wherever the browser is. */
export const DISTRICT_TZ = 'Asia/Shanghai';

export function createAppI18n(initial?: Lang) {
  const saved = (typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null) as Lang | null;
  return createI18n({ legacy: false, locale: initial ?? saved ?? 'zh', fallbackLocale: 'zh', messages: { zh, en } });
}

export function rememberLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = (lang === 'zh' ? zh : en).app.title;
}

export function formatTime(iso: string | null, lang: string, withDate = false): string {
  if (!iso) return '—';
  const opts: Intl.DateTimeFormatOptions = withDate
    ? { timeZone: DISTRICT_TZ, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }
    : { timeZone: DISTRICT_TZ, hour: '2-digit', minute: '2-digit', second: '2-digit' };
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', opts);
}

/** Date and time to the second in the district's zone, e.g. 2026-11-28 09:05:03. */
export function formatDateTime(iso: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: DISTRICT_TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A time to the second in the district's zone, its date with the year only when that is not this year's (district years). */
export function formatStamp(iso: string | null, nowMs = Date.now()): string {
  if (!iso) return '—';
  const full = formatDateTime(iso);
  return full.slice(0, 4) === formatDateTime(new Date(nowMs).toISOString()).slice(0, 4) ? full.slice(5) : full;
}

/** A district day (YYYY-MM-DD) as shown: MM-DD in this year, the whole date in another. */
export function formatDay(day: string, nowMs = Date.now()): string {
  return day.slice(0, 4) === formatDateTime(new Date(nowMs).toISOString()).slice(0, 4) ? day.slice(5) : day;
}

/** An instant as a `datetime-local` value in district time (to the minute). */
export function isoToDistrictInput(iso: string): string {
  return formatDateTime(iso).slice(0, 16).replace(' ', 'T');
}

/** A `datetime-local` value read as district time, as ISO-8601 with its offset. */
export function districtInputToIso(value: string): string {
  return `${value.length === 16 ? `${value}:00` : value}+08:00`;
}
