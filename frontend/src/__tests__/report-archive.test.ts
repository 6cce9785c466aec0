import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ReportPanel, { type ReportSummary, type ReportVersionInfo } from '../components/ReportPanel.vue';
import { createAppI18n } from '../i18n';
import { en, zh } from '../i18n/messages';
import { useAuthStore } from '../stores/auth';

function loginAs(role: string): void {
  const b64 = (o: object): string => btoa(JSON.stringify(o)).replace(/=+$/, '');
  useAuthStore().token = `${b64({})}.${b64({ username: 'u', role, exp: Date.now() / 1000 + 3600 })}.s`;
}

const base = {
  complete: true, has_data: true,
  air: { district: { good_days_ratio: 1, composite_index: 3, valid_days: 2 } },
  water: { wwtp: [], sea: { good_ratio: null } }, alerts: { total: 0 },
};
const VERSIONS: ReportVersionInfo[] = [
  { version: 2, generated_at: '2026-12-03T02:00:00.000Z', generated_by: null, why: 'rule', gathered_at: '2026-12-03T01:59:00.000Z', saw: null },
  { version: 1, generated_at: '2026-12-02T01:00:00.000Z', generated_by: null, why: 'scheduled', gathered_at: '2026-12-02T00:59:00.000Z', saw: null },
];

/** The month the panel shows (its default: last month), set once it is mounted. */
let currentMonth = '';

/** The hub's answers by path: the month's JSON (newest or ?version=1), the list of versions, the diff. */
function hub(newest: Partial<ReportSummary>): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    asked.push(url);
    const body = url.startsWith('/api/reports/monthly/') && url.includes('/diff')
      ? { from: { version: 1 }, to: { version: 2 }, changes: [{ key: 'completeness.air-hekou.valid_days', zh: '河口空气站 有效天数（完整性）', en: 'Hekou air station: valid days (completeness)', from: 2, to: 30 }, { key: 'air.valid_month', zh: '全区空气质量月度数据有效', en: 'District air: month valid', from: false, to: true }] }
      : url.startsWith('/api/reports?') || url === '/api/reports'
        ? { months: [{ month: currentMonth, versions: VERSIONS }] }
        : url.includes('version=1')
          ? { ...base, month: currentMonth, archive: { archived_at: VERSIONS[1]!.generated_at, reviewed_at: null, stale: true, version: 1, newest_version: 2, superseded: true, stale_reasons: [] } }
          : { ...base, month: currentMonth, ...newest };
    return new Response(JSON.stringify(body), { status: 200 });
  }));
  return asked;
}

beforeEach(() => {
  setActivePinia(createPinia());
  loginAs('viewer');
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the report tab and archived versions', () => {
  it('says 已归档 · 第N版 with the time, warns when stale with the reasons and when the rule regenerates it', async () => {
    hub({ archive: { archived_at: VERSIONS[0]!.generated_at, reviewed_at: null, stale: true, version: 2, newest_version: 2, superseded: false, stale_reasons: ['readings', 'alerts'], regenerate_after: '2026-12-04T04:00:00.000Z' } });
    const w = mount(ReportPanel, { global: { plugins: [createAppI18n('zh')] } });
    currentMonth = (w.find('[data-testid=report-month]').element as HTMLSelectElement).value;
    await vi.waitFor(() => expect(w.find('[data-testid=report-versions]').exists()).toBe(true));
    expect(w.find('[data-testid=report-archive]').text()).toBe('已归档 · 第2版 · 生成于 2026-12-03 10:00');
    const stale = w.find('[data-testid=report-stale]').text();
    expect(stale).toContain('归档已过期');
    expect(stale).toContain('迟到或补传的监测数据、新的告警');
    expect(stale).toContain('2026-12-04 12:00');
    expect(stale).not.toMatch(/[A-Za-z]/);
    expect(w.findAll('[data-testid=report-versions] li').map((li) => li.attributes('data-version'))).toEqual(['2', '1']);
    expect(w.find('[data-testid=report-versions]').text()).toContain('补充数据后自动重新生成');
  });

  it('shows an earlier version as superseded, and the differences between versions', async () => {
    const asked = hub({ archive: { archived_at: VERSIONS[0]!.generated_at, reviewed_at: null, stale: false, version: 2, newest_version: 2, superseded: false, stale_reasons: [] } });
    const w = mount(ReportPanel, { global: { plugins: [createAppI18n('en')] } });
    currentMonth = (w.find('[data-testid=report-month]').element as HTMLSelectElement).value;
    await vi.waitFor(() => expect(w.find('[data-testid=report-versions]').exists()).toBe(true));
    expect(w.find('[data-testid=report-stale]').exists()).toBe(false);
    await w.find('[data-version="1"] [data-action=show-version]').trigger('click');
    await vi.waitFor(() => expect(w.find('[data-testid=report-superseded]').exists()).toBe(true));
    expect(asked.some((u) => u.includes('format=json') && u.includes('&version=1'))).toBe(true);
    expect(w.find('[data-testid=report-superseded]').text()).toBe('This is version 1, superseded by version 2: the newest version holds the current figures.');
    await w.find('[data-version="2"] [data-action=compare]').trigger('click');
    await vi.waitFor(() => expect(w.find('[data-testid=report-diff]').exists()).toBe(true));
    expect(asked.some((u) => u.endsWith('/diff?from=1&to=2'))).toBe(true);
    const rows = w.findAll('[data-testid=report-diff] tr').map((r) => r.text());
    expect(rows).toEqual(['Hekou air station: valid days (completeness)2 → 30', 'District air: month validno → yes']);
    expect(w.find('[data-testid=report-panel]').text()).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('has no English in the Chinese archive texts and no Chinese in the English ones', () => {
    const texts = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'string' ? [v] : texts(v as object)));
    for (const s of texts(zh.archive)) expect(s.replace(/\{[a-z]+\}/g, ''), s).not.toMatch(/[A-Za-z]/);
    for (const s of texts(en.archive)) expect(s, s).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
