import type { ReviewMark } from '@tidewatch/contracts';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ReportPanel, { type ReportSummary } from '../components/ReportPanel.vue';
import ReviewMarks from '../components/ReviewMarks.vue';
import { markedRanges } from '../components/review-bands';
import { createAppI18n } from '../i18n';
import { useAuthStore } from '../stores/auth';

function loginAs(role: string): void {
  const b64 = (o: object): string => btoa(JSON.stringify(o)).replace(/=+$/, '');
  useAuthStore().token = `${b64({})}.${b64({ username: 'u', role, exp: Date.now() / 1000 + 3600 })}.s`;
}

const mark = (id: number, over: Partial<ReviewMark> = {}): ReviewMark => ({
  id,
  site: 'air-hekou',
  metric: null,
  from: '2026-11-02T00:00:00.000Z',
  to: '2026-11-02T03:00:00.000Z',
  reason: 'calibration',
  note: '季度校准',
  created_by: 'op',
  created_at: '2026-11-03T00:00:00.000Z',
  withdrawn_by: null,
  withdrawn_at: null,
  withdrawn_reason: null,
  ...over,
});

/** A fetch stand-in answering the list with `marks` and recording every call. */
function serve(marks: () => ReviewMark[]): [string, RequestInit | undefined][] {
  const calls: [string, RequestInit | undefined][] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    calls.push([url, init]);
    if (init?.method === 'POST') return new Response(JSON.stringify(mark(9)), { status: url.endsWith('/withdraw') ? 200 : 201 });
    return new Response(JSON.stringify(marks()), { status: 200 });
  }));
  return calls;
}

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.unstubAllGlobals());

describe('ReviewMarks', () => {
  it('lists marks in Chinese for everyone, withdrawn ones said so, and offers no form to a viewer', async () => {
    loginAs('viewer');
    serve(() => [mark(1), mark(2, { metric: 'pm25', reason: 'other', note: '施工', withdrawn_by: 'boss', withdrawn_at: '2026-11-04T00:00:00.000Z', withdrawn_reason: '误标' })]);
    const w = mount(ReviewMarks, { props: { siteId: 'air-hekou', kind: 'air' }, global: { plugins: [createAppI18n('zh')] } });
    await vi.waitFor(() => expect(w.findAll('li[data-mark]')).toHaveLength(2));
    const [first, second] = w.findAll('li[data-mark]');
    expect(first!.text()).toContain('全部项目');
    expect(first!.text()).toContain('校准');
    expect(second!.classes()).toContain('withdrawn');
    expect(second!.text()).toContain('已由 boss 撤销：误标');
    expect(w.find('[data-action=mark]').exists()).toBe(false);
    expect(w.find('[data-action=withdraw]').exists()).toBe(false);
    expect(w.emitted('marks')![0]![0]).toHaveLength(2);
  });

  it('lets an operator mark a period in district time, refusing an unfinished form with the schema’s message', async () => {
    loginAs('operator');
    let marks: ReviewMark[] = [];
    const calls = serve(() => marks);
    const w = mount(ReviewMarks, { props: { siteId: 'air-hekou', kind: 'air' }, global: { plugins: [createAppI18n('en')] } });
    await vi.waitFor(() => expect(w.text()).toContain('No review marks'));
    await w.find('[data-action=mark]').trigger('click');
    await w.find('input[name=from]').setValue('2026-11-02T08:00');
    await w.find('input[name=to]').setValue('2026-11-02T11:00');
    await w.find('select[name=reason]').setValue('other');
    await w.find('form.mark').trigger('submit');
    expect(w.find('[role=alert]').text()).toContain('The reason other needs a note');
    expect(calls.filter(([, init]) => init?.method === 'POST')).toHaveLength(0);
    await w.find('input[name=note]').setValue('road works nearby');
    await w.find('select[name=metric]').setValue('pm25');
    marks = [mark(9, { metric: 'pm25', reason: 'other', note: 'road works nearby' })];
    await w.find('form.mark').trigger('submit');
    await vi.waitFor(() => expect(w.findAll('li[data-mark]')).toHaveLength(1));
    const post = calls.find(([, init]) => init?.method === 'POST')!;
    expect(post[0]).toBe('/api/sites/air-hekou/reviews');
    expect(JSON.parse(String(post[1]!.body))).toEqual({ from: '2026-11-02T08:00:00+08:00', to: '2026-11-02T11:00:00+08:00', reason: 'other', metric: 'pm25', note: 'road works nearby' });
    expect(w.find('[role=alert]').exists()).toBe(false);
  });

  it('lets an operator withdraw a mark with a reason', async () => {
    loginAs('operator');
    const calls = serve(() => [mark(4)]);
    const w = mount(ReviewMarks, { props: { siteId: 'air-hekou', kind: 'air' }, global: { plugins: [createAppI18n('zh')] } });
    await vi.waitFor(() => expect(w.find('[data-action=withdraw]').exists()).toBe(true));
    await w.find('[data-action=withdraw]').trigger('click');
    await w.find('input[name=withdraw-reason]').setValue('标记有误');
    await w.find('form.withdraw').trigger('submit');
    await vi.waitFor(() => expect(calls.some(([url]) => url === '/api/reviews/4/withdraw')).toBe(true));
    const post = calls.find(([url]) => url === '/api/reviews/4/withdraw')!;
    expect(JSON.parse(String(post[1]!.body))).toEqual({ reason: '标记有误' });
  });
});

describe('chart shading', () => {
  it('covers the points under active marks of the site or of the metric shown, not withdrawn ones or other metrics', () => {
    const H = 3_600_000;
    const t0 = Date.parse('2026-11-02T00:00:00.000Z');
    const times = Array.from({ length: 8 }, (_, i) => t0 + i * H);
    const marks = [
      mark(1), // hours 0–2, whole site
      mark(2, { metric: 'pm25', from: new Date(t0 + 5 * H).toISOString(), to: new Date(t0 + 6 * H).toISOString() }),
      mark(3, { metric: 'o3', from: new Date(t0 + 6 * H).toISOString(), to: new Date(t0 + 8 * H).toISOString() }),
      mark(4, { from: new Date(t0 + 7 * H).toISOString(), to: new Date(t0 + 8 * H).toISOString(), withdrawn_at: '2026-11-04T00:00:00.000Z', withdrawn_by: 'b', withdrawn_reason: 'x' }),
    ];
    expect(markedRanges(times, marks, 'pm25')).toEqual([[0, 2], [5, 5]]);
    expect(markedRanges(times, marks, 'o3')).toEqual([[0, 2], [6, 7]]);
  });
});

describe('ReportPanel and data review', () => {
  it('says when an archived month was reviewed after it was archived', async () => {
    loginAs('viewer');
    const summary: ReportSummary = {
      month: '2026-10', complete: true, has_data: true,
      air: { district: { good_days_ratio: 1, composite_index: 3, valid_days: 31 } },
      water: { wwtp: [], sea: { good_ratio: null } }, alerts: { total: 0 },
      archive: { archived_at: '2026-11-02T00:00:00.000Z', reviewed_at: '2026-11-05T00:00:00.000Z', stale: true },
    };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(summary), { status: 200 })));
    const w = mount(ReportPanel, { global: { plugins: [createAppI18n('zh')] } });
    await vi.waitFor(() => expect(w.find('[data-testid=report-stale]').exists()).toBe(true));
    expect(w.find('[data-testid=report-stale]').text()).toContain('归档已过期');
  });
});
