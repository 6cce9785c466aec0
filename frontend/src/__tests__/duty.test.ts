import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import AlertAssign from '../components/AlertAssign.vue';
import OnDuty from '../components/OnDuty.vue';
import { historyStep } from '../components/alert-history';
import { createAppI18n } from '../i18n';
import { en, zh } from '../i18n/messages';
import { useAlertsStore } from '../stores/alerts';
import { useAuthStore } from '../stores/auth';
import { alert, json, jwt, stubFetch } from './fixtures';

const stubs = { RouterLink: { template: '<a><slot /></a>' } };
const loginAs = (role: string): void => {
  useAuthStore().token = jwt({ username: 'desk', role, exp: Date.now() / 1000 + 3600 });
};

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('alert history steps', () => {
  const i18n = createAppI18n('zh').global;
  const t = (k: string): string => i18n.t(k);
  const te = (k: string): boolean => i18n.te(k);
  it('names the step in the page’s language, and the person an assignment went to and whether the roster made it', () => {
    expect(historyStep({ at: '', action: 'comment', actor: 'desk', note: 'x' }, t, te)).toBe('批注');
    expect(historyStep({ at: '', action: 'assigned', actor: null, note: null, data: { assignee: 'gas-first', reason: 'roster' } }, t, te)).toBe('指派 → gas-first（按值班表）');
    expect(historyStep({ at: '', action: 'assigned', actor: 'desk', note: null, data: { assignee: 'desk' } }, t, te)).toBe('指派 → desk');
    expect(historyStep({ at: '', action: 'something_new', actor: null, note: null }, t, te)).toBe('something_new');
  });
  it('has every duty, roster and assignment text in both languages', () => {
    const keys = (o: object, prefix = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
    for (const section of ['duty', 'roster', 'assign'] as const) {
      expect(keys(en[section])).toEqual(keys(zh[section]));
      // No Latin words in the Chinese texts beyond placeholders.
      for (const text of keys(zh[section]).map((k) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zh[section]) as string)) {
        expect(text.replace(/\{[a-z]+\}/g, ''), text).not.toMatch(/[A-Za-z]{2,}/);
      }
    }
  });
});

describe('AlertAssign', () => {
  it('shows the assignee; an operator assigns the alert to someone on the assignable list and the panel’s copy follows', async () => {
    loginAs('operator');
    const store = useAlertsStore();
    const a = { ...alert(5, 'critical', '2026-11-28T00:00:00Z'), assigned_to: null };
    store.apply({ ...a, event: 'opened' });
    const calls = stubFetch((call) =>
      call.url === '/api/roster/assignable' ? json([{ username: 'desk', role: 'operator' }, { username: 'gas-first', role: 'operator' }]) : json({ ...a, assigned_to: 'gas-first', updated_at: '2026-11-28T00:01:00.000Z' }),
    );
    const w = mount(AlertAssign, { props: { alert: a }, global: { plugins: [createAppI18n('zh')] } });
    expect(w.get('[data-testid=assignee]').text()).toBe('负责人：未指派');
    await w.get('[data-action=assign]').trigger('click');
    await vi.waitFor(() => expect(w.findAll('select[name=assignee] option')).toHaveLength(2));
    await w.get('select[name=assignee]').setValue('gas-first');
    await w.get('form').trigger('submit');
    await vi.waitFor(() => expect(store.open.get(5)?.assigned_to).toBe('gas-first'));
    expect(calls.at(-1)).toMatchObject({ url: '/api/alerts/5/assign', method: 'POST', body: { username: 'gas-first', note: '' } });
    expect(w.emitted('changed')).toHaveLength(1);
  });

  it('offers viewers no assignment or comment', () => {
    loginAs('viewer');
    const w = mount(AlertAssign, { props: { alert: { ...alert(6, 'minor', '2026-11-28T00:00:00Z'), assigned_to: 'desk' } }, global: { plugins: [createAppI18n('en')] } });
    expect(w.get('[data-testid=assignee]').text()).toBe('Assigned to: desk');
    expect(w.find('[data-action=assign]').exists()).toBe(false);
    expect(w.find('[data-action=comment]').exists()).toBe(false);
  });
});

describe('OnDuty', () => {
  it('names the first on call of each area, everyone in its title', async () => {
    loginAs('viewer');
    stubFetch(() =>
      json({
        at: '2026-11-28T01:00:00.000Z',
        areas: { environment: [], gas: [{ username: 'gas-first', position: 1, until: '2026-11-28T08:00:00.000Z' }, { username: 'gas-second', position: 2, until: '2026-11-28T08:00:00.000Z' }], ports: [], pumps: [] },
      }),
    );
    const w = mount(OnDuty, { global: { plugins: [createAppI18n('zh')], stubs } });
    await vi.waitFor(() => expect(w.get('[data-area=gas]').text()).toBe('燃气 gas-first'));
    expect(w.get('[data-area=ports]').text()).toBe('渔港 —');
    expect(w.find('.count').exists()).toBe(false); // happy-dom lays nothing out: the names fit
    expect(w.attributes('title')).toContain('燃气：gas-first（第1位，至 11/28 16:00）、gas-second（第2位，至 11/28 16:00）');
    expect(w.attributes('title')).toContain('环境：无人值班');
  });
});
