import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../alerts/alerts.repository.js';
import {
  ALERT_EVENTS,
  DEFAULT_NOTIFY_EVENTS,
  dashboardLink,
  dingtalkMessage,
  dingtalkSign,
  districtClock,
  EVENT_EN,
  EVENT_ZH,
  interpretReply,
  markdownText,
  maskSecrets,
  maskTarget,
  qualifies,
  signedDingtalkUrl,
  SMS_SEGMENT,
  smsMessage,
  smsText,
  wecomMessage,
  type NotifyPolicy,
} from './channel-messages.js';

const alert = (over: Partial<AlertRecord> = {}): AlertRecord => ({
  id: 12,
  site: 'gas-hekou-riser',
  site_name_zh: '河口小区燃气立管',
  site_name_en: 'Hekou residential gas riser',
  kind: 'gas_point',
  rule: 'gas-lel',
  severity: 'critical',
  state: 'active',
  cleared: false,
  cleared_at: null,
  title_zh: '可燃气体浓度超限',
  title_en: 'Combustible gas over limit',
  detail: {},
  opened_at: '2026-12-07T11:30:05.000Z',
  last_triggered_at: '2026-12-07T11:30:05.000Z',
  triggers: 1,
  acknowledged_at: null,
  acknowledged_by: null,
  resolved_at: null,
  resolved_by: null,
  assigned_to: null,
  escalation_level: 0,
  announced_at: '2026-12-07T11:30:05.000Z',
  updated_at: '2026-12-07T11:45:00.000Z',
  ...over,
});
const ctx = { tz: 'Asia/Shanghai', publicUrl: 'https://tidewatch.example.cn/' };
const noLink = { tz: 'Asia/Shanghai', publicUrl: null };
const policy: NotifyPolicy = { minSeverity: 'major', events: new Set(DEFAULT_NOTIFY_EVENTS) };

describe('which alert changes go out', () => {
  it('by default: new alerts, escalations and resolutions of major and critical alerts', () => {
    const sent = (event: string, severity: AlertRecord['severity']) => qualifies(event, alert({ severity }), policy);
    for (const event of ['opened', 'raised', 'retriggered', 'escalated', 'resolved']) {
      expect(sent(event, 'critical'), event).toBe(true);
      expect(sent(event, 'major'), event).toBe(true);
      expect(sent(event, 'minor'), event).toBe(false);
      expect(sent(event, 'warning'), event).toBe(false);
    }
    for (const event of ['cleared', 'reannounced', 'acknowledged', 'assigned', 'comment']) expect(sent(event, 'critical'), event).toBe(false);
  });

  it('never an alert computed from historical data, whatever the policy', () => {
    const all: NotifyPolicy = { minSeverity: 'warning', events: new Set(ALERT_EVENTS) };
    for (const event of ALERT_EVENTS) {
      expect(qualifies(event, alert({ detail: { historical: true } }), all)).toBe(false);
      expect(qualifies(event, alert({ detail: { historical: false } }), all)).toBe(true);
    }
  });

  it('follows the configured least severity and events', () => {
    const criticalOnly: NotifyPolicy = { minSeverity: 'critical', events: new Set(['opened', 'comment']) };
    expect(qualifies('opened', alert({ severity: 'critical' }), criticalOnly)).toBe(true);
    expect(qualifies('opened', alert({ severity: 'major' }), criticalOnly)).toBe(false);
    expect(qualifies('comment', alert(), criticalOnly)).toBe(true);
    expect(qualifies('resolved', alert(), criticalOnly)).toBe(false);
    const everything: NotifyPolicy = { minSeverity: 'warning', events: new Set(ALERT_EVENTS) };
    expect(qualifies('opened', alert({ severity: 'warning' }), everything)).toBe(true);
    // An unknown severity ranks below every known one.
    expect(qualifies('opened', alert({ severity: 'bogus' as AlertRecord['severity'] }), everything)).toBe(false);
  });

  it('names every event in both languages', () => {
    for (const e of ALERT_EVENTS) {
      expect(EVENT_ZH[e]).toMatch(/\p{Script=Han}/u);
      expect(EVENT_EN[e]).toMatch(/^[A-Z]/);
    }
  });
});

describe('district time', () => {
  it('writes Beijing time in Asia/Shanghai', () => {
    expect(districtClock('2026-12-07T16:05:00.000Z', 'Asia/Shanghai')).toEqual({ text: '2026-12-08 00:05', zoneZh: '北京时间', zoneEn: 'Beijing time' });
  });
  it('names another zone as it is', () => {
    expect(districtClock('2026-07-01T12:00:00.000Z', 'Europe/Berlin')).toEqual({ text: '2026-07-01 14:00', zoneZh: 'Europe/Berlin', zoneEn: 'Europe/Berlin' });
  });
  it('passes an unreadable time through', () => {
    expect(districtClock('not a time', 'Asia/Shanghai').text).toBe('not a time');
  });
});

describe('WeCom group robot message', () => {
  it('is markdown, Chinese first with English beside it, with time, escalation, assignee and link', () => {
    const m = wecomMessage('opened', alert({ escalation_level: 2, assigned_to: 'zhang_wei' }), ctx);
    expect(m.msgtype).toBe('markdown');
    const c = m.markdown.content;
    const lines = c.split('\n');
    expect(lines[0]).toBe('### <font color="warning">【紧急告警】河口小区燃气立管：可燃气体浓度超限</font>');
    expect(lines[1]).toBe('Critical alert: Hekou residential gas riser: Combustible gas over limit');
    expect(c).toContain('> 时间 Time：2026-12-07 19:30 北京时间 (Beijing time)');
    expect(c).toContain('> 上报 Escalation：第 2 级 · level 2');
    expect(c).toContain('> 指派 Assigned to：zhang_wei');
    expect(c).toContain('> 编号 Alert：#12');
    expect(lines.at(-1)).toBe('[在看板中查看 · Open the dashboard](https://tidewatch.example.cn/alerts)');
  });

  it('leaves out what is not there, and shows a resolution in green with the change time', () => {
    const c = wecomMessage('resolved', alert({ state: 'resolved' }), noLink).markdown.content;
    expect(c).not.toContain('Escalation');
    expect(c).not.toContain('Assigned');
    expect(c).not.toContain('](');
    expect(c).toContain('<font color="info">【紧急告警 · 告警已解决】');
    expect(c).toContain('2026-12-07 19:45');
  });

  it('greys minor alerts and stays within 4096 bytes with very long titles', () => {
    const long = alert({ severity: 'minor', title_zh: '长'.repeat(3000), title_en: 'L'.repeat(3000), site_name_zh: '站'.repeat(500), site_name_en: 'S'.repeat(500) });
    const c = wecomMessage('opened', long, ctx).markdown.content;
    expect(c).toContain('<font color="comment">');
    expect(Buffer.byteLength(c)).toBeLessThanOrEqual(4096);
  });
});

describe('DingTalk custom robot message', () => {
  it('is markdown with a title holding the keyword 告警, paragraphs, and @-mentions on a critical alert', () => {
    const m = dingtalkMessage('opened', alert(), ctx, ['13800000001']);
    expect(m.msgtype).toBe('markdown');
    expect(m.markdown.title).toBe('紧急告警 河口小区燃气立管');
    expect(m.at).toEqual({ atMobiles: ['13800000001'], isAtAll: false });
    expect(m.markdown.text.startsWith('### 【紧急告警】河口小区燃气立管：可燃气体浓度超限\n\nCritical alert')).toBe(true);
    expect(m.markdown.text.endsWith('@13800000001')).toBe(true);
    expect(m.markdown.text).toContain('北京时间');
  });

  it('mentions nobody on a major alert or a resolution', () => {
    expect(dingtalkMessage('opened', alert({ severity: 'major' }), ctx, ['13800000001']).at.atMobiles).toEqual([]);
    const resolved = dingtalkMessage('resolved', alert(), ctx, ['13800000001']);
    expect(resolved.at.atMobiles).toEqual([]);
    expect(resolved.markdown.text).not.toContain('@1380');
  });

  it('keeps markdown in names from taking effect', () => {
    expect(markdownText('a*b_[c](d)#<x>`|~\\')).toBe('a＊b_［c］(d)＃＜x＞｀｜～＼');
    expect(markdownText('two\nlines')).toBe('two lines');
    expect(markdownText('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('SMS text', () => {
  it('fits one 70-character segment, Chinese only', () => {
    const t = smsText('opened', alert({ escalation_level: 1, assigned_to: 'zhangwei' }), noLink);
    expect(t).toBe('【紧急告警】河口小区燃气立管 可燃气体浓度超限 12-07 19:30 北京时间 上报1级 指派zhangwei #12');
    expect([...t].length).toBeLessThanOrEqual(SMS_SEGMENT);
  });

  it('shortens long names to fit, keeping the time and the alert number', () => {
    const t = smsText('escalated', alert({ site_name_zh: '黄泥川智能制造产业园区三号厂房燃气调压计量撬装设备', title_zh: '可燃气体浓度持续超过爆炸下限的百分之二十五并且仍在上升' }), noLink);
    expect([...t].length).toBeLessThanOrEqual(SMS_SEGMENT);
    expect(t).toContain('未确认已上报');
    expect(t).toContain('…');
    expect(t).toContain('12-07 19:45 北京时间');
    expect(t.endsWith('#12')).toBe(true);
  });

  it('adds the dashboard link after the text, and a signature when asked', () => {
    const t = smsText('resolved', alert(), ctx, '【潮汐守望】');
    expect(t.startsWith('【潮汐守望】【紧急告警】已解决 ')).toBe(true);
    expect(t.endsWith(' https://tidewatch.example.cn/alerts')).toBe(true);
    expect([...t.replace(/ https:\S+$/, '')].length).toBeLessThanOrEqual(SMS_SEGMENT);
  });

  it('is posted as {to, text}', () => {
    expect(smsMessage(['13800000001'], 'hi')).toEqual({ to: ['13800000001'], text: 'hi' });
  });

  it('links to the alert log without a doubled slash', () => {
    expect(dashboardLink({ tz: 'UTC', publicUrl: 'https://a.example/hub//' })).toBe('https://a.example/hub/alerts');
    expect(dashboardLink({ tz: 'UTC', publicUrl: null })).toBeNull();
  });
});

describe('DingTalk 加签', () => {
  const secret = 'SEC0123456789abcdef';
  it('is base64 HMAC-SHA256 of timestamp + "\\n" + secret, keyed with the secret', () => {
    const ts = 1_765_000_000_000;
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    expect(dingtalkSign(secret, ts)).toBe(expected);
    expect(dingtalkSign(secret, ts + 1)).not.toBe(expected);
  });

  it('is added to the URL as timestamp and URL-encoded sign, keeping the access token', () => {
    const ts = 1_765_000_000_000;
    const signed = signedDingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', secret, ts);
    const u = new URL(signed);
    expect(u.searchParams.get('access_token')).toBe('abc');
    expect(u.searchParams.get('timestamp')).toBe(String(ts));
    expect(u.searchParams.get('sign')).toBe(dingtalkSign(secret, ts));
    // The raw query holds the encoded form (base64's + / = are not left bare).
    const raw = signed.split('sign=')[1]!;
    expect(raw).not.toMatch(/[+/=]/);
    expect(decodeURIComponent(raw)).toBe(dingtalkSign(secret, ts));
  });

  it('leaves the URL alone without a secret', () => {
    expect(signedDingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', null, 1)).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc');
  });
});

describe('reading the answers', () => {
  const ok = JSON.stringify({ errcode: 0, errmsg: 'ok' });
  it('errcode 0 with HTTP 200 is sent, for both robots', () => {
    for (const ch of ['wecom', 'dingtalk'] as const) expect(interpretReply(ch, 200, ok)).toEqual({ ok: true, retry: false, errcode: 0, error: null, rateLimited: false });
  });

  it('a rate limit or a busy robot is retried; the rate limit pauses the robot', () => {
    expect(interpretReply('wecom', 200, JSON.stringify({ errcode: 45009, errmsg: 'api freq out of limit' }))).toEqual({
      ok: false,
      retry: true,
      errcode: 45009,
      error: 'errcode 45009: api freq out of limit',
      rateLimited: true,
    });
    expect(interpretReply('dingtalk', 200, JSON.stringify({ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }))).toMatchObject({ retry: true, rateLimited: true });
    expect(interpretReply('dingtalk', 200, JSON.stringify({ errcode: 410100, errmsg: '发送速度太快而限流' }))).toMatchObject({ retry: true, rateLimited: true });
    for (const ch of ['wecom', 'dingtalk'] as const) expect(interpretReply(ch, 200, JSON.stringify({ errcode: -1, errmsg: 'system busy' }))).toMatchObject({ retry: true, rateLimited: false });
  });

  it('an invalid key, a failed signature or keyword, a bad message is final', () => {
    expect(interpretReply('wecom', 200, JSON.stringify({ errcode: 93000, errmsg: 'invalid webhook url' }))).toMatchObject({ ok: false, retry: false, errcode: 93000 });
    expect(interpretReply('wecom', 200, JSON.stringify({ errcode: 40008 }))).toMatchObject({ retry: false, error: 'errcode 40008' });
    for (const code of [310000, 300001, 400102, 430101]) expect(interpretReply('dingtalk', 200, JSON.stringify({ errcode: code, errmsg: 'x' })).retry, String(code)).toBe(false);
    // A rate-limit code of the other robot is not one here.
    expect(interpretReply('dingtalk', 200, JSON.stringify({ errcode: 45009 })).retry).toBe(false);
  });

  it('HTTP 5xx, 408 and 429 are retried, other 4xx final; an answer without errcode is retried', () => {
    for (const status of [500, 502, 503, 408]) expect(interpretReply('wecom', status, ''), String(status)).toMatchObject({ ok: false, retry: true, errcode: null, error: `HTTP ${status}`, rateLimited: false });
    expect(interpretReply('dingtalk', 429, '')).toMatchObject({ retry: true, rateLimited: true });
    for (const status of [400, 401, 403, 404]) expect(interpretReply('dingtalk', status, ok).retry, String(status)).toBe(false);
    expect(interpretReply('wecom', 200, '<html>proxy</html>')).toMatchObject({ ok: false, retry: true, error: 'answer without errcode' });
    expect(interpretReply('wecom', 200, '[1]')).toMatchObject({ ok: false, retry: true });
    expect(interpretReply('wecom', 200, JSON.stringify({ errcode: '0' }))).toMatchObject({ ok: false, retry: true });
  });

  it('the SMS gateway: any 2xx is taken unless it names a non-zero code', () => {
    expect(interpretReply('sms', 200, '')).toMatchObject({ ok: true, errcode: null });
    expect(interpretReply('sms', 202, 'accepted')).toMatchObject({ ok: true });
    expect(interpretReply('sms', 200, JSON.stringify({ code: 0 }))).toMatchObject({ ok: true, errcode: 0 });
    expect(interpretReply('sms', 200, JSON.stringify({ code: 1001, message: 'no balance' }))).toEqual({ ok: false, retry: false, errcode: 1001, error: 'gateway code 1001: no balance', rateLimited: false });
    expect(interpretReply('sms', 200, JSON.stringify({ errcode: 7 }))).toMatchObject({ ok: false, errcode: 7 });
    expect(interpretReply('sms', 503, '')).toMatchObject({ ok: false, retry: true });
    expect(interpretReply('sms', 401, '')).toMatchObject({ ok: false, retry: false });
    expect(interpretReply('sms', 429, '')).toMatchObject({ retry: true, rateLimited: true });
  });
});

describe('masking secrets', () => {
  it('masks the WeCom key, the DingTalk token and signature, keeping 4 characters of a long key', () => {
    expect(maskTarget('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a***');
    expect(maskTarget('https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef&timestamp=1&sign=abc%2B')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=0123***&timestamp=1&sign=***',
    );
    expect(maskTarget('https://oapi.dingtalk.com/robot/send?access_token=short')).toBe('https://oapi.dingtalk.com/robot/send?access_token=***');
  });

  it('masks user and password, leaves a URL without secrets as it is, and hides what is not a URL', () => {
    expect(maskTarget('https://user:pass@sms.example.cn/send')).toBe('https://***:***@sms.example.cn/send');
    expect(maskTarget('http://127.0.0.1:8080/sms/send?region=cn')).toBe('http://127.0.0.1:8080/sms/send?region=cn');
    expect(maskTarget('not a url key=abc')).toBe('***');
  });

  it('masks secrets and credential parameters in error text', () => {
    expect(maskSecrets('failed for https://x/send?access_token=tok123456&sign=abc%2F&timestamp=9', [])).toBe('failed for https://x/send?access_token=***&sign=***&timestamp=9');
    expect(maskSecrets('Bearer my-sms-token and my%2Bsecret', ['my-sms-token', 'my+secret'])).toBe('Bearer *** and ***');
    expect(maskSecrets('abc', ['ab'])).toBe('abc');
  });
});
