import type { DayCompleteness } from '@tidewatch/contracts';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import IntervalsAdmin, { type IntervalSite } from '../components/admin/IntervalsAdmin.vue';
import SiteCompleteness from '../components/SiteCompleteness.vue';
import { createAppI18n } from '../i18n';
import { useAuthStore } from '../stores/auth';
import { json, jwt, stubFetch } from './fixtures';

const day = (date: string, share: number, over: Partial<DayCompleteness> = {}): DayCompleteness => ({
  date, expected: 1728, received: 1700, valid: Math.round(1728 * share), valid_hours: Math.round(144 * share), valid_share: share,
  metrics: { pm25: { expected: 288, received: 283, valid: 280, valid_hours: 23 }, pm10: { expected: 288, received: 283, valid: 280, valid_hours: 23 } },
  ...over,
});

const loginAs = (role: string): void => {
  useAuthStore().token = jwt({ username: 'u', role, exp: Date.now() / 1000 + 900 });
};

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.unstubAllGlobals());

describe('the site drawer’s reporting interval and completeness', () => {
  const serve = (source: string, seconds: number) =>
    stubFetch((c) => (c.url.endsWith('/completeness') ? json([day('2026-11-26', 1), day('2026-11-27', 0.5), day('2026-11-28', 0.9)]) : json({ id: 'air-a', reporting_interval: { seconds, source } })));

  it('says the interval and its source in Chinese and lists the last days newest first, marking those under 75 % valid', async () => {
    const calls = serve('learned', 300);
    const w = mount(SiteCompleteness, { props: { siteId: 'air-a' }, global: { plugins: [createAppI18n('zh')] } });
    await vi.waitFor(() => expect(w.find('[data-testid=reporting-interval]').exists()).toBe(true));
    expect(w.find('[data-testid=reporting-interval]').text()).toBe('上报间隔 5 分钟（自动识别）');
    expect(calls.map((c) => c.url).sort()).toEqual(['/api/sites/air-a', '/api/sites/air-a/completeness']);
    const rows = w.findAll('tbody tr');
    expect(rows.map((r) => r.attributes('data-date'))).toEqual(['2026-11-28', '2026-11-27', '2026-11-26']);
    expect(rows.map((r) => r.classes('low'))).toEqual([false, true, false]);
    expect(rows[1]!.text()).toContain('11-27');
    expect(rows[1]!.text()).toContain('50%');
    expect(rows[1]!.attributes('title')).toBe('有效小时不足 75%');
    expect(rows[0]!.findAll('td').map((td) => td.text())).toEqual(['11-28', '1728', '1700', '1555', '130', '90%']);
    expect(w.text()).toContain('2 个监测项目合计');
  });

  it('speaks English for a set and a nominal interval', async () => {
    serve('set', 3600);
    const w = mount(SiteCompleteness, { props: { siteId: 'air-a' }, global: { plugins: [createAppI18n('en')] } });
    await vi.waitFor(() => expect(w.find('[data-testid=reporting-interval]').text()).toBe('Reporting interval 1 h (set)'));
    serve('nominal', 90);
    await w.setProps({ siteId: 'air-b' });
    await vi.waitFor(() => expect(w.find('[data-testid=reporting-interval]').text()).toBe('Reporting interval 90 s (nominal)'));
  });
});

describe('reporting intervals on the administration page', () => {
  const SITES: IntervalSite[] = [
    { id: 'air-a', name_zh: '河口站', name_en: 'Hekou', reporting_interval: { seconds: 300, source: 'learned' } },
    { id: 'air-b', name_zh: '港湾站', name_en: 'Harbour', reporting_interval: { seconds: 45, source: 'set' } },
    { id: 'river-c', name_zh: '断面', name_en: 'Section', reporting_interval: { seconds: 300, source: 'nominal' } },
  ];
  const mountAdmin = (lang: 'zh' | 'en' = 'zh') => mount(IntervalsAdmin, { props: { sites: SITES }, global: { plugins: [createAppI18n(lang)] } });

  it('lists every site’s interval and source', () => {
    loginAs('admin');
    stubFetch(() => json({}));
    const w = mountAdmin();
    expect(w.findAll('tbody tr[data-site]')).toHaveLength(3);
    expect(w.find('tr[data-site=air-a]').text()).toContain('5 分钟');
    expect(w.find('tr[data-site=air-a] [data-field=source]').text()).toBe('自动识别');
    expect(w.find('tr[data-site=air-b]').text()).toContain('45 秒');
    expect(w.find('tr[data-site=air-b] [data-field=source]').text()).toBe('已设定');
    expect(w.find('tr[data-site=river-c] [data-field=source]').text()).toBe('默认');
  });

  it('offers no control to an operator', () => {
    loginAs('operator');
    stubFetch(() => json({}));
    expect(mountAdmin().find('[data-action=set-interval]').exists()).toBe(false);
  });

  it('sets a common cadence only after a confirmation that stored hours are re-judged', async () => {
    loginAs('admin');
    const calls = stubFetch(() => json({}));
    const w = mountAdmin();
    await w.find('tr[data-site=air-a] [data-action=set-interval]').trigger('click');
    // A learned interval cannot be cleared: there is nothing set.
    expect(w.findAll('select[name=cadence] option').map((o) => o.attributes('value'))).toEqual(['60', '120', '300', '600', '900', '3600', 'custom']);
    await w.find('select[name=cadence]').setValue('120');
    expect(w.find('[data-testid=interval-confirmation]').text()).toBe('将“河口站”的上报间隔设为 2 分钟：该站已存储的各小时数据将立即按新间隔重新判定是否有效。');
    expect(calls).toHaveLength(0);
    await w.find('[data-testid=interval-form]').trigger('submit');
    await vi.waitFor(() => expect(w.emitted('changed')).toHaveLength(1));
    expect(calls).toEqual([expect.objectContaining({ method: 'PUT', url: '/api/sites/air-a', body: { reporting_interval_s: 120 } })]);
    expect(w.find('[role=status]').text()).toContain('“河口站”的已存储数据已重新判定');
    expect(w.find('[data-testid=interval-form]').exists()).toBe(false);
  });

  it('takes a custom number of seconds, and clears a set interval', async () => {
    loginAs('admin');
    const calls = stubFetch(() => json({}));
    const w = mountAdmin('en');
    await w.find('tr[data-site=air-b] [data-action=set-interval]').trigger('click');
    // The set 45 s is no common cadence: the form opens on it as a custom number.
    expect((w.find('select[name=cadence]').element as HTMLSelectElement).value).toBe('custom');
    await w.find('input[name=interval-seconds]').setValue('0');
    expect(w.find('[data-action=confirm-interval]').attributes('disabled')).toBeDefined();
    await w.find('input[name=interval-seconds]').setValue('90');
    expect(w.find('[data-testid=interval-confirmation]').text()).toContain('to 90 s: its stored hours are re-judged at once');
    await w.find('[data-testid=interval-form]').trigger('submit');
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]!.body).toEqual({ reporting_interval_s: 90 });

    await w.find('tr[data-site=air-b] [data-action=set-interval]').trigger('click');
    await w.find('select[name=cadence]').setValue('learn');
    expect(w.find('[data-testid=interval-confirmation]').text()).toContain('learn it from the data');
    await w.find('[data-testid=interval-form]').trigger('submit');
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]!.body).toEqual({ reporting_interval_s: null });
  });

  it('shows the hub’s refusal and keeps the form open', async () => {
    loginAs('admin');
    stubFetch(() => json({ statusCode: 400, message: 'reporting_interval_s: Too big: expected number to be <=86400' }, 400));
    const w = mountAdmin('en');
    await w.find('tr[data-site=air-a] [data-action=set-interval]').trigger('click');
    await w.find('[data-testid=interval-form]').trigger('submit');
    await vi.waitFor(() => expect(w.find('[role=alert]').exists()).toBe(true));
    expect(w.find('[role=alert]').text()).toBe('Not saved: reporting_interval_s: Too big: expected number to be <=86400');
    expect(w.find('[data-testid=interval-form]').exists()).toBe(true);
    expect(w.emitted('changed')).toBeUndefined();
  });
});
