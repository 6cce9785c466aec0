import type { SiteSnapshot } from '@tidewatch/contracts';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import SiteDrawer from '../components/SiteDrawer.vue';
import { FLAGGED_COLOUR, seriesDatasets } from '../components/series-chart';
import { valueLines } from '../components/site-text';
import { createAppI18n } from '../i18n';
import { useSitesStore } from '../stores/sites';

/** An air station whose newest PM2.5 is flagged M (maintenance) and whose PM10 is normal. */
const station: SiteSnapshot = {
  id: 'air-a',
  kind: 'air',
  name_zh: '河口站',
  name_en: 'Hekou',
  lat: 19.9,
  lon: 110.3,
  status: 'normal',
  online: true,
  last_seen: '2026-11-28T08:00:00Z',
  latest: { pm25: { value: 300, t: '2026-11-28T08:00:00Z', flag: 'M' }, pm10: { value: 61, t: '2026-11-28T08:00:00Z' } },
};

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.unstubAllGlobals());

describe('flagged values on the dashboard', () => {
  it('the newest values name a flagged value’s flag in Chinese and English, and only that one', () => {
    expect(valueLines(station, 'zh')).toEqual([
      { label: 'PM2.5', value: '300 µg/m³', flag: 'M 维护' },
      { label: 'PM10', value: '61.0 µg/m³', flag: null },
    ]);
    expect(valueLines(station, 'en')[0]!.flag).toBe('M maintenance');
  });

  it('the site drawer marks the flagged newest value', async () => {
    useSitesStore().load([station]);
    vi.stubGlobal('fetch', vi.fn(async () => new Response('[]', { status: 200 })));
    const w = mount(SiteDrawer, { props: { siteId: 'air-a' }, global: { plugins: [createAppI18n('zh')] } });
    const rows = w.findAll('table.values tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.classes()).toContain('flagged');
    expect(rows[0]!.find('.flag').text()).toBe('M 维护');
    expect(rows[0]!.find('.flag').attributes('title')).toBe('标记数据（不参与统计）');
    expect(rows[1]!.find('.flag').exists()).toBe(false);
    w.unmount();
  });

  it('the chart draws flagged points apart: no line, their own colour, marker and legend entry', () => {
    const points = [
      { t: '2026-11-28T07:00:00Z', avg: 80, min: 80, max: 80 },
      { t: '2026-11-28T07:00:30Z', avg: 500, min: 500, max: 500, flag: 'C' as const },
      { t: '2026-11-28T07:05:00Z', avg: 82, min: 82, max: 82 },
    ];
    const sets = seriesDatasets(points, { label: 'PM2.5 (µg/m³)', flaggedLabel: '标记数据（不参与统计）', thresholds: [{ label: 'max', value: 75 }] });
    expect(sets.map((s) => s.label)).toEqual(['PM2.5 (µg/m³)', '标记数据（不参与统计）', 'max']);
    expect(sets[0]!.data).toEqual([80, null, 82]);
    expect(sets[1]).toMatchObject({ data: [null, 500, null], showLine: false, pointStyle: 'triangle', borderColor: FLAGGED_COLOUR });
    expect(sets[2]!.data).toEqual([75, 75, 75]);
    // Without flagged values the legend has no flagged entry.
    expect(seriesDatasets([points[0]!], { label: 'x', flaggedLabel: 'f', thresholds: [] }).map((s) => s.label)).toEqual(['x']);
  });
});
