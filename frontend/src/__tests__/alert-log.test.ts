import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, logQuery, tally } from '../api/alert-log';
import HandoverAlerts from '../components/alert-log/HandoverAlerts.vue';
import { createAppI18n, formatStamp, isoToDistrictInput } from '../i18n';
import { alert } from './fixtures';

describe('alert log helpers', () => {
  it('writes times to the second in district time, with the year only when it is not this year', () => {
    const now = Date.parse('2026-12-02T02:00:00Z');
    expect(formatStamp('2026-12-02T01:02:03Z', now)).toBe('12-02 09:02:03');
    // 2025-12-31 16:30Z is already 2026 in Beijing: no year.
    expect(formatStamp('2025-12-31T16:30:00Z', now)).toBe('01-01 00:30:00');
    expect(formatStamp('2025-12-31T15:30:00Z', now)).toBe('2025-12-31 23:30:00');
    expect(formatStamp(null, now)).toBe('—');
    expect(isoToDistrictInput('2026-12-02T00:00:00.000Z')).toBe('2026-12-02T08:00');
  });

  it('sends only the filters that are set, with the page', () => {
    expect(logQuery({ ...EMPTY_FILTER, state: 'resolved', q: ' 泄漏 50% ' }, 50, 100)).toBe('state=resolved&q=%E6%B3%84%E6%BC%8F+50%25&limit=50&offset=100');
    expect(logQuery(EMPTY_FILTER, 20, 0)).toBe('limit=20&offset=0');
  });

  it('counts what a bulk step did', () => {
    expect(
      tally([
        { id: 1, outcome: 'done', state: 'resolved' },
        { id: 2, outcome: 'already', state: 'resolved' },
        { id: 3, outcome: 'done', state: 'resolved' },
        { id: 4, outcome: 'not_found', state: null },
      ]),
    ).toEqual({ done: 2, already: 1, missing: 1 });
  });
});

describe('HandoverAlerts', () => {
  const list = [alert(7, 'critical', '2026-12-02T01:02:03Z', 'resolved'), alert(8, 'minor', '2026-12-02T01:05:00Z')];

  it('lists the alerts in Chinese with times to the second', () => {
    const w = mount(HandoverAlerts, { props: { alerts: list }, global: { plugins: [createAppI18n('zh')] } });
    const rows = w.findAll('tbody tr');
    expect(rows.map((r) => r.attributes('data-alert'))).toEqual(['7', '8']);
    expect(rows[0]!.text()).toContain('紧急');
    expect(rows[0]!.text()).toContain('可燃气体浓度超限');
    expect(rows[0]!.text()).toContain('已解决');
    expect(rows[0]!.find('td.time').text()).toMatch(/09:02:03$/);
  });

  it('speaks English without Chinese glyphs, and says when the list is empty', () => {
    const w = mount(HandoverAlerts, { props: { alerts: list }, global: { plugins: [createAppI18n('en')] } });
    expect(w.text()).toContain('Combustible gas');
    expect(w.text()).not.toMatch(/[\u4e00-\u9fff]/);
    const empty = mount(HandoverAlerts, { props: { alerts: [] }, global: { plugins: [createAppI18n('zh')] } });
    expect(empty.text()).toBe('无');
  });
});
