import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationDelivery } from '@tidewatch/contracts';
import NotificationsLog from '../components/admin/NotificationsLog.vue';
import { createAppI18n } from '../i18n';
import { useAuthStore } from '../stores/auth';
import { json, jwt, stubFetch } from './fixtures';

const delivery = (id: string, over: Partial<NotificationDelivery> = {}): NotificationDelivery => ({
  id,
  channel: 'wecom',
  target: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a***',
  alert_id: 12,
  event: 'opened',
  attempts: 2,
  outcome: 'sent',
  last_error: null,
  http_status: 200,
  errcode: 0,
  created_at: '2026-12-07T11:30:05.000Z',
  last_attempt_at: '2026-12-07T11:30:06.000Z',
  sent_at: '2026-12-07T11:30:06.000Z',
  ...over,
});

beforeEach(() => {
  setActivePinia(createPinia());
  useAuthStore().token = jwt({ username: 'admin', role: 'admin', exp: Date.now() / 1000 + 900 });
});
afterEach(() => vi.unstubAllGlobals());

describe('duty-room notification deliveries', () => {
  it('lists the newest deliveries in Chinese, with district time, channel, outcome and codes', async () => {
    const calls = stubFetch(() =>
      json([delivery('a'), delivery('b', { channel: 'dingtalk', outcome: 'failed', attempts: 1, errcode: 310000, last_error: 'errcode 310000: sign not match', sent_at: null })]),
    );
    const w = mount(NotificationsLog, { global: { plugins: [createAppI18n('zh')] } });
    await vi.waitFor(() => expect(w.findAll('tr[data-delivery]')).toHaveLength(2));
    expect(calls[0]!.url).toBe('/api/notifications?limit=50');
    expect(w.find('h2').text()).toBe('值班通知推送记录');
    expect(w.find('tr[data-delivery=a]').findAll('td').map((td) => td.text())).toEqual([
      '2026-12-07 19:30:05',
      '企业微信',
      '#12',
      '新告警',
      '已送达',
      '2',
      '200 / 0',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a***',
      '—',
    ]);
    const failed = w.find('tr[data-delivery=b]');
    expect(failed.text()).toContain('钉钉');
    expect(failed.text()).toContain('失败');
    expect(failed.find('.outcome').classes()).toContain('failed');
    // The Chinese page's own words are Chinese (the data, URLs and codes, are what they are).
    const labels = [w.find('h2').text(), ...w.findAll('th').map((th) => th.text()), ...w.findAll('option').map((o) => o.text())];
    for (const l of labels) expect(l, l).not.toMatch(/[A-Za-z]/);
  });

  it('filters by channel, outcome and alert number, and says when there is nothing', async () => {
    const calls = stubFetch(() => json([]));
    const w = mount(NotificationsLog, { global: { plugins: [createAppI18n('en')] } });
    await vi.waitFor(() => expect(w.text()).toContain('No deliveries yet'));
    await w.find('select[name=notify-channel]').setValue('sms');
    await w.find('select[name=notify-outcome]').setValue('failed');
    await w.find('input[name=notify-alert]').setValue(' 12 ');
    await w.find('form.filters').trigger('submit');
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(Object.fromEntries(new URL(calls[1]!.url, 'http://x').searchParams)).toEqual({ channel: 'sms', outcome: 'failed', alert: '12', limit: '50' });
    // Not a number: no alert filter.
    await w.find('input[name=notify-alert]').setValue('x');
    await w.find('form.filters').trigger('submit');
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    expect(new URL(calls[2]!.url, 'http://x').searchParams.has('alert')).toBe(false);
    expect(w.find('th').text()).toBe('Time (Beijing)');
  });

  it('shows the hub’s refusal', async () => {
    stubFetch(() => json({ statusCode: 403, message: 'Forbidden' }, 403));
    const w = mount(NotificationsLog, { global: { plugins: [createAppI18n('zh')] } });
    await vi.waitFor(() => expect(w.find('[role=alert]').text()).toMatch(/^推送记录获取失败：/));
  });
});
