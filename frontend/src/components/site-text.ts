import { DATA_FLAGS, metricFor, type AbnormalFlag, type SiteIndicator, type SiteKind, type SiteSnapshot } from '@tidewatch/contracts';

/** A data flag as shown: "M 维护" / "M maintenance". */
export function flagText(flag: AbnormalFlag, lang: string): string {
  return `${flag} ${lang === 'zh' ? DATA_FLAGS[flag].zh : DATA_FLAGS[flag].en}`;
}

/**
 * "PM2.5 35.2 µg/m³"-style lines for a site's newest values, in the page's language; a value
 * its device flagged (not N) carries the flag, as it does not count in any statistic.
 */
export function valueLines(s: SiteSnapshot, lang: string): { label: string; value: string; flag: string | null }[] {
  return Object.entries(s.latest).map(([name, v]) => {
    const def = metricFor(s.kind as SiteKind, name);
    const unit = def && !def.flag && def.unit !== 'count' ? ` ${def.unit}` : '';
    const digits = Math.abs(v.value) >= 100 ? 0 : Math.abs(v.value) >= 10 ? 1 : 2;
    return {
      label: def ? (lang === 'zh' ? def.label.zh : def.label.en) : name,
      value: `${def?.flag || def?.integer ? v.value : v.value.toFixed(digits)}${unit}`,
      flag: v.flag ? flagText(v.flag, lang) : null,
    };
  });
}

/** What the standards say of the site, as one line. */
export function indicatorText(ind: SiteIndicator | null | undefined, lang: string): string | null {
  if (!ind) return null;
  const zh = lang === 'zh';
  switch (ind.type) {
    case 'aqi':
      return ind.aqi === null ? null : `AQI ${ind.aqi} ${ind.category ? (zh ? ind.category.zh : ind.category.en) : ''}`.trim();
    case 'water_class':
      return `${zh ? ind.zh : ind.en}${ind.target ? (zh ? `（目标${ind.target}类）` : ` (target ${ind.target})`) : ''}`;
    case 'effluent':
      return ind.compliant ? (zh ? '出水达一级A标准' : 'Effluent meets class 1A') : zh ? `出水超标：${ind.exceedances.map((e) => e.param).join('、')}` : `Over 1A: ${ind.exceedances.map((e) => e.param).join(', ')}`;
  }
}
