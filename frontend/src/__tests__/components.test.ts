import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import AirPanel from '../components/AirPanel.vue';
import AlertsPanel from '../components/AlertsPanel.vue';
import GoalsBoard from '../components/GoalsBoard.vue';
import ReportPanel, { type ReportSummary } from '../components/ReportPanel.vue';
import { markerColour, textColour, wgs84ToGcj02 } from '../components/map-style';
import { createAppI18n } from '../i18n';
import { useAlertsStore } from '../stores/alerts';
import { useAqiStore } from '../stores/aqi';
import { useAuthStore } from '../stores/auth';
import { alert } from './fixtures';

function loginAs(role: string): void {
  const b64 = (o: object): string => btoa(JSON.stringify(o)).replace(/=+$/, '');
  useAuthStore().token = `${b64({})}.${b64({ username: 'u', role, exp: Date.now() / 1000 + 3600 })}.s`;
}

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('AlertsPanel', () => {
  it('lists alerts by severity in Chinese, flashes a new critical one, and shows actions only to operators', async () => {
    loginAs('viewer');
    const store = useAlertsStore();
    store.apply({ ...alert(1, 'minor', '2026-11-28T01:00:00Z'), event: 'opened' });
    store.apply({ ...alert(2, 'critical', '2026-11-28T00:00:00Z'), event: 'opened' });
    const w = mount(AlertsPanel, { global: { plugins: [createAppI18n('zh')] } });
    const items = w.findAll('li.alert');
    expect(items.map((i) => i.attributes('data-alert'))).toEqual(['2', '1']);
    expect(items[0]!.text()).toContain('紧急');
    expect(items[0]!.text()).toContain('可燃气体浓度超限');
    expect(items[0]!.classes()).toContain('fresh');
    expect(w.find('[data-action=ack]').exists()).toBe(false);
    loginAs('operator');
    await w.vm.$nextTick();
    expect(w.findAll('[data-action=ack]')).toHaveLength(2);
  });

  it('acknowledges with a note through the API', async () => {
    loginAs('operator');
    const store = useAlertsStore();
    store.apply({ ...alert(7, 'critical', '2026-11-28T00:00:00Z'), event: 'opened' });
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ...alert(7, 'critical', '2026-11-28T00:00:00Z', 'acknowledged'), acknowledged_by: 'u' }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const w = mount(AlertsPanel, { global: { plugins: [createAppI18n('zh')] } });
    await w.find('[data-action=ack]').trigger('click');
    await w.find('textarea[name=note]').setValue('已派人处置');
    await w.find('form.note').trigger('submit');
    await vi.waitFor(() => expect(store.open.get(7)!.state).toBe('acknowledged'));
    const calls = fetchMock.mock.calls as unknown as [string, RequestInit][];
    expect(calls[0]![0]).toBe('/api/alerts/7/ack');
    expect(JSON.parse(String(calls[0]![1].body))).toEqual({ note: '已派人处置' });
    vi.unstubAllGlobals();
  });

  it('asks before resolving an alert whose condition still holds, then resends with the confirmation', async () => {
    loginAs('operator');
    const store = useAlertsStore();
    store.apply({ ...alert(9, 'critical', '2026-11-28T00:00:00Z'), event: 'opened' });
    const answers = [
      new Response(JSON.stringify({ statusCode: 409, error: 'Conflict', message: 'the alert’s condition still holds', code: 'condition_active' }), { status: 409 }),
      new Response(JSON.stringify(alert(9, 'critical', '2026-11-28T00:00:00Z', 'resolved')), { status: 200 }),
    ];
    const fetchMock = vi.fn(async () => answers.shift()!);
    vi.stubGlobal('fetch', fetchMock);
    const w = mount(AlertsPanel, { global: { plugins: [createAppI18n('zh')] } });
    await w.find('[data-action=resolve]').trigger('click');
    await w.find('textarea[name=note]').setValue('现场已处置');
    await w.find('form.note').trigger('submit');
    await vi.waitFor(() => expect(w.find('p.confirm').exists()).toBe(true));
    expect(w.find('p.confirm').text()).toContain('告警条件仍然存在');
    expect(w.find('[data-action=submit]').text()).toBe('仍然解决');
    expect(w.find('p.error').exists()).toBe(false);
    expect(store.open.has(9)).toBe(true);
    await w.find('form.note').trigger('submit');
    await vi.waitFor(() => expect(store.open.has(9)).toBe(false));
    const calls = fetchMock.mock.calls as unknown as [string, RequestInit][];
    expect(calls.map((c) => c[0])).toEqual(['/api/alerts/9/resolve', '/api/alerts/9/resolve']);
    expect(JSON.parse(String(calls[0]![1].body))).toEqual({ note: '现场已处置' });
    expect(JSON.parse(String(calls[1]![1].body))).toEqual({ note: '现场已处置', confirm_active: true });
    vi.unstubAllGlobals();
    // Its history says it was resolved while the condition held.
    store.apply({ ...alert(9, 'critical', '2026-11-28T00:00:00Z'), updated_at: '2026-11-28T00:00:05Z', event: 'opened' });
    const history = [{ at: '2026-11-28T00:00:04Z', action: 'resolved', actor: 'u', note: '现场已处置', data: { condition_held: true } }];
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ ...alert(9, 'critical', '2026-11-28T00:00:00Z'), history }), { status: 200 })));
    await w.vm.$nextTick();
    await w.find('li.alert[data-alert="9"] button.link').trigger('click');
    await vi.waitFor(() => expect(w.find('ol.history').text()).toContain('告警条件仍存在时确认解决'));
    vi.unstubAllGlobals();
  });

  it('marks an alert from historical data and neither flashes nor rings for it', () => {
    const store = useAlertsStore();
    const old = { ...alert(11, 'critical', '2026-11-27T00:00:00Z'), detail: { values: { ch4_lel_pct: 60 }, historical: true } };
    expect(store.apply({ ...old, event: 'opened' }).newCritical).toBe(false);
    const w = mount(AlertsPanel, { global: { plugins: [createAppI18n('zh')] } });
    const item = w.find('li.alert[data-alert="11"]');
    expect(item.classes()).not.toContain('fresh');
    expect(item.find('.historical').text()).toBe('历史数据');
    // Current data triggering it again is news.
    expect(store.apply({ ...old, detail: { values: { ch4_lel_pct: 62 } }, updated_at: '2026-11-28T00:00:01Z', event: 'retriggered' }).newCritical).toBe(true);
  });

  it('speaks English when switched', () => {
    useAlertsStore().apply({ ...alert(1, 'major', '2026-11-28T01:00:00Z'), event: 'opened' });
    const w = mount(AlertsPanel, { global: { plugins: [createAppI18n('en')] } });
    expect(w.text()).toContain('Major');
    expect(w.text()).toContain('Combustible gas');
  });
});

/** The parts of an AQI figure the panel does not show. */
const figure = { version: '2026', iaqi: {}, missing: [], concentrations: {} };

describe('AirPanel', () => {
  it('shows the district AQI with its category colour and primary pollutant, stations ranked', () => {
    useAqiStore().set({
      hour: '2026-11-28T00:00:00Z',
      standard: 'HJ 633-2026',
      district: { aqi: 128, category: { zh: '轻度污染', en: 'Lightly polluted', colour: '#FF7E00', level: 3, level_zh: '三级' }, primary: ['pm25'], valid_stations: 8, ...figure },
      stations: [
        { site: 'air-a', name_zh: '甲站', name_en: 'A', aqi: 150, category: { zh: '轻度污染', en: 'Lightly polluted', colour: '#FF7E00', level: 3, level_zh: '三级' }, primary: ['pm25'], ...figure },
        { site: 'air-b', name_zh: '乙站', name_en: 'B', aqi: 90, category: { zh: '良', en: 'Good', colour: '#FFFF00', level: 2, level_zh: '二级' }, primary: ['pm10'], ...figure },
      ],
    });
    const w = mount(AirPanel, { global: { plugins: [createAppI18n('zh')] } });
    expect(w.find('[data-testid=district-aqi]').text()).toBe('128');
    expect(w.text()).toContain('轻度污染');
    expect(w.text()).toContain('首要污染物 PM2.5');
    expect(w.find('.district').attributes('style')).toContain('background: #FF7E00');
    expect(w.findAll('.stations li').map((l) => l.text())).toEqual(['甲站150', '乙站90']);
  });
});

describe('GoalsBoard', () => {
  it('shows each goal with its figures, target and whether it is met', async () => {
    const goals = [
      { id: 'air', name_zh: '空气质量', name_en: 'Air quality', figures: [{ key: 'good_days_ratio', label_zh: '优良天数比例（今年）', label_en: 'Good-days ratio', value: 0.875, unit: 'ratio' }], target_zh: '优于去年同期', target_en: 'Better than last year', met: true, trend: { key: 'good_days_ratio', previous: 0.8, better: true } },
      { id: 'ebike', name_zh: '电动自行车充电', name_en: 'E-bike charging', figures: [{ key: 'fire_risk_alerts', label_zh: '火灾风险告警（本月）', label_en: 'Fire-risk alerts', value: 2, unit: 'count' }], target_zh: '0', target_en: '0', met: false },
    ];
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ goals }), { status: 200 })));
    const w = mount(GoalsBoard, { global: { plugins: [createAppI18n('zh')] } });
    await vi.waitFor(() => expect(w.findAll('article.goal')).toHaveLength(2));
    const air = w.find('[data-goal=air]');
    expect(air.classes()).toContain('met');
    expect(air.text()).toContain('87.5%');
    expect(air.text()).toContain('▲ 去年同期 80.0%');
    expect(w.find('[data-goal=ebike]').classes()).toContain('not-met');
    expect(w.find('[data-goal=ebike]').text()).toContain('未达标');
    w.unmount();
    vi.unstubAllGlobals();
  });
});

describe('ReportPanel', () => {
  const summary = (complete: boolean): ReportSummary => ({
    month: '2026-10',
    complete,
    has_data: true,
    air: { district: { good_days_ratio: 0.8667, composite_index: 3.42, valid_days: 30 } },
    water: { wwtp: [{ compliance_ratio: 1 }], sea: { good_ratio: 0.95 } },
    alerts: { total: 17 },
  });

  it('shows last month’s figures in Chinese and asks for each format in the page language', async () => {
    loginAs('viewer');
    const calls: string[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      calls.push(url);
      return url.includes('format=json') ? new Response(JSON.stringify(summary(true)), { status: 200 }) : new Response(new Blob(['%PDF-1.7']), { status: 200 });
    }));
    const created: string[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => (created.push('blob'), 'blob:report'), revokeObjectURL: () => undefined }));
    const w = mount(ReportPanel, { global: { plugins: [createAppI18n('zh')] } });
    await vi.waitFor(() => expect(w.find('[data-testid=report-summary]').exists()).toBe(true));
    const month = (w.find('[data-testid=report-month]').element as HTMLSelectElement).value;
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    expect(calls[0]).toBe(`/api/reports/monthly/${month}?format=json&lang=zh`);
    expect(w.text()).toContain('优良天数比例');
    expect(w.find('[data-figure=good-days]').text()).toBe('86.7%');
    expect(w.text()).toContain('3.42');
    expect(w.text()).not.toContain('本月尚未结束');
    expect(w.find('[data-action=regenerate]').exists()).toBe(false); // admins only
    await w.find('[data-format=pdf]').trigger('click');
    await vi.waitFor(() => expect(created).toHaveLength(1));
    // (the panel also asks for the month's published versions: GET /api/reports)
    expect(calls.filter((c) => c.includes('format=pdf'))).toEqual([`/api/reports/monthly/${month}?format=pdf&lang=zh`]);
    w.unmount();
    vi.unstubAllGlobals();
  });

  it('marks a running month as partial, offers admins a regeneration only for finished months, and shows errors', async () => {
    loginAs('admin');
    let answer: () => Response = () => new Response(JSON.stringify(summary(false)), { status: 200 });
    vi.stubGlobal('fetch', vi.fn(async () => answer()));
    const w = mount(ReportPanel, { global: { plugins: [createAppI18n('en')] } });
    await vi.waitFor(() => expect(w.text()).toContain('The month is still running'));
    expect(w.find('[data-action=regenerate]').exists()).toBe(false);
    const select = w.find('[data-testid=report-month]');
    const options = select.findAll('option').map((o) => (o.element as HTMLOptionElement).value);
    expect(options).toHaveLength(12);
    answer = () => new Response(JSON.stringify({ message: 'database unavailable' }), { status: 503 });
    await select.setValue(options[2]);
    await vi.waitFor(() => expect(w.find('[role=alert]').text()).toBe('Could not load: database unavailable'));
    answer = () => new Response(JSON.stringify({ ...summary(true), has_data: false }), { status: 200 });
    await select.setValue(options[3]);
    await vi.waitFor(() => expect(w.find('[data-testid=report-no-data]').text()).toBe('No monitoring data for this month'));
    answer = () => new Response(JSON.stringify(summary(true)), { status: 200 });
    await select.setValue(options[0]);
    await vi.waitFor(() => expect(w.find('[data-action=regenerate]').exists()).toBe(true));
    expect(w.find('[role=alert]').exists()).toBe(false);
    expect(w.text()).toContain('Good-days ratio');
    w.unmount();
    vi.unstubAllGlobals();
  });
});

describe('map styling', () => {
  it('colours markers by status, and normal air stations by AQI category', () => {
    const base = { id: 'x', kind: 'air' as const, name_zh: '', name_en: '', lat: 0, lon: 0, online: true, last_seen: null, latest: {} };
    expect(markerColour({ ...base, status: 'alarm' })).toBe('#c62828');
    expect(markerColour({ ...base, status: 'offline' })).toBe('#7a8593');
    expect(markerColour({ ...base, status: 'normal', indicator: { type: 'aqi', hour: '', aqi: 60, category: { zh: '良', en: 'Good', colour: '#FFFF00', level: 2 }, primary: [] } })).toBe('#FFFF00');
    expect(textColour('#FFFF00')).toBe('#1d2733');
    expect(textColour('#7E0023')).toBe('#ffffff');
  });

  it('shifts coordinates to GCJ-02 inside China only', () => {
    const [lat, lon] = wgs84ToGcj02(38.855, 121.49);
    expect(lat - 38.855).toBeGreaterThan(0.0005);
    expect(lon - 121.49).toBeGreaterThan(0.004);
    expect(wgs84ToGcj02(51.5, -0.12)).toEqual([51.5, -0.12]);
  });
});
