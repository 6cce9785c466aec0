import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { AlertRecord } from '../alerts/alerts.repository.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { ChannelNotifier } from './channel-notifier.js';
import type { DeliveryRecord } from './channel-sender.js';

const log = createLogger('silent');
const alert = (over: Partial<AlertRecord> = {}): AlertRecord =>
  ({
    id: 5,
    site: 'gas-hekou-riser',
    site_name_zh: '河口小区燃气立管',
    site_name_en: 'Hekou residential gas riser',
    severity: 'critical',
    title_zh: '可燃气体浓度超限',
    title_en: 'Combustible gas over limit',
    detail: {},
    opened_at: '2026-12-07T11:30:05.000Z',
    updated_at: '2026-12-07T11:30:05.000Z',
    escalation_level: 0,
    assigned_to: null,
    ...over,
  }) as AlertRecord;

function setup(env: NodeJS.ProcessEnv) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init! });
    return new Response(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
  }) as unknown as typeof fetch;
  const records: DeliveryRecord[] = [];
  const outcomes: string[] = [];
  const notifier = new ChannelNotifier(loadConfig(env), { recorder: { record: (r) => records.push(r) }, log, fetchImpl, onOutcome: (c, o) => outcomes.push(`${c}:${o}`) });
  return { notifier, calls, records, outcomes };
}

const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-123456';
const DING_A = 'https://oapi.dingtalk.com/robot/send?access_token=token-aaaaaaaa';
const DING_B = 'https://oapi.dingtalk.com/robot/send?access_token=token-bbbbbbbb';

describe('ChannelNotifier', () => {
  it('does nothing when no channel is configured', () => {
    const { notifier, calls } = setup({});
    expect(notifier.configured).toBe(false);
    notifier.notify('opened', alert());
    expect(calls).toEqual([]);
  });

  it('sends one message per configured target, each in its form, and records masked targets', async () => {
    const { notifier, calls, records, outcomes } = setup({
      WECOM_WEBHOOK_URLS: WECOM,
      DINGTALK_WEBHOOK_URLS: `${DING_A},${DING_B}`,
      DINGTALK_SECRET: 'SECsecret-a,SECsecret-b',
      SMS_GATEWAY_URL: 'https://sms.example.cn/send',
      SMS_RECIPIENTS: '13800000001',
      SMS_GATEWAY_TOKEN: 'sms-token-xyz',
    });
    expect(notifier.summary).toEqual({ wecom: 1, dingtalk: 2, sms: 1 });
    notifier.notify('opened', alert());
    await notifier.idle();
    expect(calls.map((c) => new URL(c.url).host)).toEqual(['qyapi.weixin.qq.com', 'oapi.dingtalk.com', 'oapi.dingtalk.com', 'sms.example.cn']);
    expect(JSON.parse(String(calls[0]!.init.body))).toMatchObject({ msgtype: 'markdown' });
    // Each DingTalk robot signed with its own secret.
    for (const [i, secret] of [[1, 'SECsecret-a'], [2, 'SECsecret-b']] as const) {
      const q = new URL(calls[i]!.url).searchParams;
      expect(q.get('sign')).toBe(createHmac('sha256', secret).update(`${q.get('timestamp')}\n${secret}`).digest('base64'));
    }
    expect(JSON.parse(String(calls[3]!.init.body))).toEqual({ to: ['13800000001'], text: expect.stringContaining('紧急告警') });
    expect((calls[3]!.init.headers as Record<string, string>).authorization).toBe('Bearer sms-token-xyz');
    expect(outcomes.sort()).toEqual(['dingtalk:sent', 'dingtalk:sent', 'sms:sent', 'wecom:sent']);
    const recorded = JSON.stringify(records);
    for (const secret of ['wecom-key-123456', 'token-aaaaaaaa', 'token-bbbbbbbb', 'SECsecret-a', 'sms-token-xyz']) expect(recorded).not.toContain(secret);
    expect(records.find((r) => r.channel === 'wecom')!.target).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=weco***');
  });

  it('one DingTalk secret serves every robot; a custom SMS auth header carries the token as is', async () => {
    const { notifier, calls } = setup({
      DINGTALK_WEBHOOK_URLS: `${DING_A},${DING_B}`,
      DINGTALK_SECRET: 'SECshared',
      SMS_GATEWAY_URL: 'https://sms.example.cn/send',
      SMS_RECIPIENTS: '13800000001',
      SMS_GATEWAY_TOKEN: 'tok',
      SMS_GATEWAY_AUTH_HEADER: 'X-Api-Key',
    });
    notifier.notify('opened', alert());
    await notifier.idle();
    for (const c of calls.slice(0, 2)) {
      const q = new URL(c.url).searchParams;
      expect(q.get('sign')).toBe(createHmac('sha256', 'SECshared').update(`${q.get('timestamp')}\nSECshared`).digest('base64'));
    }
    expect((calls[2]!.init.headers as Record<string, string>)['x-api-key']).toBe('tok');
  });

  it('sends only what qualifies: not historical alerts, not below the severity, SMS by its own severity', async () => {
    const { notifier, calls } = setup({
      WECOM_WEBHOOK_URLS: WECOM,
      SMS_GATEWAY_URL: 'https://sms.example.cn/send',
      SMS_RECIPIENTS: '13800000001',
      SMS_MIN_SEVERITY: 'critical',
    });
    notifier.notify('opened', alert({ detail: { historical: true } }));
    notifier.notify('opened', alert({ severity: 'minor' }));
    notifier.notify('acknowledged', alert());
    await notifier.idle();
    expect(calls).toEqual([]);
    notifier.notify('opened', alert({ severity: 'major' }));
    await notifier.idle();
    expect(calls.map((c) => new URL(c.url).host)).toEqual(['qyapi.weixin.qq.com']);
  });

  it('stops its senders', async () => {
    const { notifier, records } = setup({ WECOM_WEBHOOK_URLS: WECOM });
    notifier.stop();
    notifier.notify('opened', alert());
    expect(records.map((r) => r.outcome)).toEqual(['dropped']);
  });
});
