import { booleanValueText, wordsOf } from '../i18n/data-text';
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
    return {
      label: def ? (lang === 'zh' ? def.label.zh : def.label.en) : name,
      value: metricValueText(def, name, v.value, lang),
      flag: v.flag ? flagText(v.flag, lang) : null,
    };
  });
}

/**
 * A metric's value with its unit, in words where a number would not do: 0/1 metrics as
 * 故障/正常, 开/关, 有烟雾/无烟雾 (Fault/Normal, …), a Beaufort force as "5 级" / "force 5".
 */
export function metricValueText(def: { flag?: boolean; integer?: boolean; unit: string } | undefined, name: string, value: number, lang: string): string {
  if (def?.flag) return booleanValueText(name, value, wordsOf(lang));
  if (def?.unit === 'Beaufort') return wordsOf(lang).t('values.beaufort', { n: value });
  const unit = def && def.unit !== 'count' ? ` ${def.unit}` : '';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${def?.integer ? value : value.toFixed(digits)}${unit}`;
}

/** An effluent parameter of GB 18918 by its name: the plant's metric label, BOD₅ (not a metric) by its own. */
function effluentParam(param: string, lang: string): string {
  if (param === 'bod5_mgl') return lang === 'zh' ? '五日生化需氧量' : 'BOD₅';
  const def = metricFor('wwtp', param);
  return def ? (lang === 'zh' ? def.label.zh : def.label.en) : param;
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
      return ind.compliant ? (zh ? '出水达一级A标准' : 'Effluent meets class 1A') : zh ? `出水超标：${ind.exceedances.map((e) => effluentParam(e.param, lang)).join('、')}` : `Over 1A: ${ind.exceedances.map((e) => effluentParam(e.param, lang)).join(', ')}`;
  }
}
