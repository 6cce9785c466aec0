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
}

export function formatTime(iso: string | null, lang: string, withDate = false): string {
  if (!iso) return '—';
  const opts: Intl.DateTimeFormatOptions = withDate
    ? { timeZone: DISTRICT_TZ, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }
    : { timeZone: DISTRICT_TZ, hour: '2-digit', minute: '2-digit', second: '2-digit' };
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', opts);
}
