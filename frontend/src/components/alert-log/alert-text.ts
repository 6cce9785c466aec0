/** Something with a site and a title in both languages: an alert, or a handover entry. */
interface Bilingual {
  site_name_zh: string;
  site_name_en: string;
  title_zh: string;
  title_en: string;
}

export function siteNameIn(a: Bilingual, lang: string): string {
  return lang === 'zh' ? a.site_name_zh : a.site_name_en;
}

export function titleIn(a: Bilingual, lang: string): string {
  return lang === 'zh' ? a.title_zh : a.title_en;
}
