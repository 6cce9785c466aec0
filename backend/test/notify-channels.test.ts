import { createHmac } from 'node:crypto';
import http from 'node:http';
import { siteTopic, type NotificationDelivery } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../src/common/net.js';
import { addUser, api, login, waitFor } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

/**
 * The duty-room channels against stand-ins on 127.0.0.1: WeCom robots (one good, one busy
 * once, one with an invalid key), DingTalk robots checking the 加签 signature as DingTalk does
 * (one good, one answering HTTP 500 once) and an SMS gateway.
 */
const DING_SECRET = 'SECintegration-dingtalk-secret-0123456789';
const SMS_TOKEN = 'sms-gateway-token-integration';
const KEYS = { good: 'wecom-key-good-0001', busy: 'wecom-key-busy-0002', invalid: 'wecom-key-invalid-0003' };
const TOKENS = { good: 'ding-token-good-0001', flaky: 'ding-token-flaky-0002' };

interface Received {
  robot: string;
  body: Record<string, unknown>;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}
const received: Received[] = [];
const calls: Record<string, number> = {};
const env: NodeJS.ProcessEnv = {};
let robots: http.Server;
let gateway: http.Server;

function dingtalkVerdict(q: URLSearchParams): boolean {
  // As DingTalk checks it: the timestamp within an hour, sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
  const ts = Number(q.get('timestamp'));
  if (!Number.isFinite(ts) || Math.abs(Date.now() - ts) > 3_600_000) return false;
  const expected = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
  return q.get('sign') === expected;
}

function reply(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

beforeAll(async () => {
  robots = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const q = url.searchParams;
      const robot = url.pathname.startsWith('/cgi-bin/webhook/send') ? `wecom:${q.get('key')}` : `dingtalk:${q.get('access_token')}`;
      const n = (calls[robot] = (calls[robot] ?? 0) + 1);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return reply(res, 200, { errcode: 40008, errmsg: 'invalid message type' });
      }
      if (robot === `wecom:${KEYS.invalid}`) return reply(res, 200, { errcode: 93000, errmsg: 'invalid webhook url' });
      if (robot === `wecom:${KEYS.busy}` && n === 1) return reply(res, 200, { errcode: -1, errmsg: 'system busy' });
      if (robot.startsWith('dingtalk:')) {
        if (!dingtalkVerdict(q)) return reply(res, 200, { errcode: 310000, errmsg: 'sign not match' });
        if (robot === `dingtalk:${TOKENS.flaky}` && n === 1) return reply(res, 500, { message: 'internal error' });
      }
      received.push({ robot, body, query: q, headers: req.headers });
      reply(res, 200, { errcode: 0, errmsg: 'ok' });
    });
  });
  gateway = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${SMS_TOKEN}`) return reply(res, 401, { code: 401, message: 'unauthorised' });
      received.push({ robot: 'sms', body: JSON.parse(text) as Record<string, unknown>, query: new URLSearchParams(), headers: req.headers });
      reply(res, 200, { code: 0, message: 'queued' });
    });
  });
  const [robotPort, smsPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  await new Promise<void>((resolve) => robots.listen(robotPort, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => gateway.listen(smsPort, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${robotPort}`;
  Object.assign(env, {
    WECOM_WEBHOOK_URLS: Object.values(KEYS).map((k) => `${base}/cgi-bin/webhook/send?key=${k}`).join(','),
    DINGTALK_WEBHOOK_URLS: Object.values(TOKENS).map((t) => `${base}/robot/send?access_token=${t}`).join(','),
    DINGTALK_SECRET: DING_SECRET,
    DINGTALK_AT_MOBILES: '13800000001',
    SMS_GATEWAY_URL: `http://127.0.0.1:${smsPort}/sms/send`,
    SMS_RECIPIENTS: '13800000001,13900000002',
    SMS_GATEWAY_TOKEN: SMS_TOKEN,
    PUBLIC_URL: 'https://tidewatch.example.cn',
    NOTIFY_RETRY_BASE_MS: '300',
    NOTIFY_TIMEOUT_MS: '3000',
    // An unacknowledged critical alert escalates 12 s after opening (the engine then ticks every second).
    ALERT_REANNOUNCE_MIN: '0.05',
    ALERT_ESCALATE_MIN: '0.2',
  });
});
// Registered after the servers' beforeAll: the hub starts with their addresses in `env`.
const ctx = useHub(env);
let operator: string;
let viewer: string;
let device: MqttClient;

beforeAll(async () => {
  const admin = await login(ctx.t);
  operator = await addUser(ctx.t, admin, 'notify-operator', 'operator');
  viewer = await addUser(ctx.t, admin, 'notify-viewer', 'viewer');
  device = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: 'notify-test-device' });
});
afterAll(async () => {
  await device?.endAsync();
  await new Promise<void>((resolve) => robots.close(() => resolve()));
  await new Promise<void>((resolve) => gateway.close(() => resolve()));
});

const lel = (site: string, value: number, ts: number): Promise<unknown> =>
  device.publishAsync(siteTopic(site, 'telemetry'), JSON.stringify({ ts, values: { ch4_lel_pct: value } }), { qos: 1 });
type Alert = { id: number; severity: string; detail: { historical?: boolean } };
async function openAlert(site: string): Promise<Alert> {
  let found: Alert | undefined;
  await waitFor(
    async () => {
      const list = (await api<Alert[]>(ctx.t, viewer, `/api/alerts?site=${site}&state=open`)).body;
      found = list[0];
      return found !== undefined;
    },
    10_000,
    `an open alert at ${site}`,
  );
  return found!;
}
const deliveries = async (query: string, token = operator) => (await api<NotificationDelivery[]>(ctx.t, token, `/api/notifications${query}`)).body;
/** Messages naming an alert (`#12`, not `#123`). */
const mentioning = (tag: string) => received.filter((r) => new RegExp(`${tag}(?![0-9])`).test(JSON.stringify(r.body)));
/** The text of a robot's markdown or an SMS. */
const content = (r: Received): string => {
  const b = r.body as { markdown?: { content?: string; text?: string }; text?: unknown };
  return b.markdown?.content ?? b.markdown?.text ?? String(b.text ?? '');
};

describe('duty-room notification channels', () => {
  let alertId: number;

  it('sends a new critical alert once to each WeCom and DingTalk robot and the SMS gateway, Chinese first, signed', async () => {
    const site = 'gas-hekou-riser';
    await lel(site, 60, Date.now());
    const alert = await openAlert(site);
    alertId = alert.id;
    expect(alert.severity).toBe('critical');
    expect(alert.detail.historical).toBeUndefined();
    const tag = `#${alertId}`;
    // Good robots at once; the busy one and the flaky one on their second attempt.
    await waitFor(async () => mentioning(tag).length >= 5, 15_000, 'five messages about the alert');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const got = mentioning(tag);
    const robotsReached = got.map((r) => r.robot).sort();
    expect(robotsReached).toEqual([`dingtalk:${TOKENS.flaky}`, `dingtalk:${TOKENS.good}`, 'sms', `wecom:${KEYS.busy}`, `wecom:${KEYS.good}`].sort());

    const wecom = got.find((r) => r.robot === `wecom:${KEYS.good}`)!;
    expect(wecom.body.msgtype).toBe('markdown');
    const wc = content(wecom);
    expect(wc.indexOf('河口小区燃气立管')).toBeGreaterThanOrEqual(0);
    expect(wc.indexOf('河口小区燃气立管')).toBeLessThan(wc.indexOf('Hekou residential gas riser'));
    expect(wc).toContain('紧急');
    expect(wc).toContain('Critical');
    expect(wc).toContain('北京时间');
    expect(wc).toContain('https://tidewatch.example.cn/alerts');
    expect(Buffer.byteLength(wc)).toBeLessThanOrEqual(4096);

    const ding = got.find((r) => r.robot === `dingtalk:${TOKENS.good}`)!;
    expect(ding.body).toMatchObject({ msgtype: 'markdown', at: { atMobiles: ['13800000001'], isAtAll: false } });
    expect((ding.body.markdown as { title: string }).title).toContain('告警');
    expect(content(ding)).toContain('@13800000001');
    expect(dingtalkVerdict(ding.query)).toBe(true);

    const sms = got.find((r) => r.robot === 'sms')!;
    expect(sms.body.to).toEqual(['13800000001', '13900000002']);
    const text = String(sms.body.text);
    expect(text).toContain('紧急');
    expect(text).toContain(tag);
    expect([...text.replace(/ https:\/\/\S+$/, '')].length).toBeLessThanOrEqual(70);
  });

  it('records every delivery: retried ones sent on the second attempt, an invalid key failed at once, keys masked', async () => {
    let rows: NotificationDelivery[] = [];
    await waitFor(
      async () => {
        rows = (await deliveries(`?alert=${alertId}`)).filter((r) => r.event === 'opened');
        return rows.length === 6 && rows.every((r) => r.outcome !== 'pending');
      },
      15_000,
      'six finished deliveries recorded',
    );
    const by = (target: string) => rows.find((r) => r.target.includes(target))!;
    expect(rows.every((r) => r.event === 'opened' && r.alert_id === alertId)).toBe(true);
    expect(by('key=weco***').channel).toBe('wecom');
    expect(rows.filter((r) => r.channel === 'wecom')).toHaveLength(3);
    expect(rows.filter((r) => r.channel === 'dingtalk')).toHaveLength(2);
    const sent = rows.filter((r) => r.outcome === 'sent');
    expect(sent).toHaveLength(5);
    const twice = rows.filter((r) => r.attempts === 2);
    expect(twice.map((r) => r.channel).sort()).toEqual(['dingtalk', 'wecom']);
    for (const r of twice) expect(r).toMatchObject({ outcome: 'sent', errcode: 0, http_status: 200, last_error: null });
    const failed = rows.filter((r) => r.outcome === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ channel: 'wecom', attempts: 1, errcode: 93000, http_status: 200 });
    expect(failed[0]!.last_error).toContain('93000');
    expect(rows.find((r) => r.channel === 'sms')).toMatchObject({ outcome: 'sent', attempts: 1, http_status: 200 });
    for (const r of sent) expect(r.sent_at).not.toBeNull();
    // No key, token or secret in clear: in the records nor in the hub's log.
    const secrets = [...Object.values(KEYS), ...Object.values(TOKENS), DING_SECRET, SMS_TOKEN];
    const listed = JSON.stringify(rows);
    for (const s of secrets) expect(listed).not.toContain(s);
    const output = ctx.hub.output();
    expect(output).toContain('notification failed');
    for (const s of secrets) expect(output).not.toContain(s);
    expect(output).not.toMatch(/sign=[A-Za-z0-9%]{8}/);
  });

  it('filters deliveries by channel and outcome, for operators and admins only', async () => {
    const failed = await deliveries('?outcome=failed');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((r) => r.outcome === 'failed')).toBe(true);
    const sms = await deliveries('?channel=sms&limit=5');
    expect(sms.length).toBeGreaterThanOrEqual(1);
    expect(sms.every((r) => r.channel === 'sms')).toBe(true);
    expect((await api(ctx.t, viewer, '/api/notifications')).status).toBe(403);
    expect((await api(ctx.t, operator, '/api/notifications?channel=fax')).status).toBe(400);
  });

  it('sends the escalation of the unacknowledged critical alert with its level', async () => {
    const escalated = () => mentioning(`#${alertId}`).filter((r) => /已逐级上报|未确认已上报/.test(content(r)));
    await waitFor(async () => escalated().length >= 5, 30_000, 'escalation messages');
    const [wecom] = escalated().filter((r) => r.robot === `wecom:${KEYS.good}`);
    expect(content(wecom!)).toContain('> 上报 Escalation：第 1 级 · level 1');
    const sms = escalated().find((r) => r.robot === 'sms')!;
    expect(String(sms.body.text)).toContain('上报1级');
    // Recorded as well (in batches, within about a second): the invalid key fails again.
    await waitFor(
      async () => {
        const rows = (await deliveries(`?alert=${alertId}`)).filter((r) => r.event === 'escalated' && r.outcome !== 'pending');
        return rows.filter((r) => r.outcome === 'sent').length >= 5 && rows.some((r) => r.outcome === 'failed' && r.errcode === 93000);
      },
      10_000,
      'escalation deliveries recorded',
    );
  });

  it('sends the resolution of an announced alert, and counts outcomes in the metrics', async () => {
    const said = (r: Received): boolean => /已解决/.test(content(r));
    const res = await api<{ state: string }>(ctx.t, operator, `/api/alerts/${alertId}/resolve`, { method: 'POST', body: JSON.stringify({ note: 'valve closed', confirm_active: true }) });
    expect(res.status).toBe(200);
    await waitFor(async () => mentioning(`#${alertId}`).filter(said).length >= 5, 15_000, 'resolution messages');
    const resolved = mentioning(`#${alertId}`).filter(said);
    expect(resolved.map((r) => r.robot).sort()).toEqual([`dingtalk:${TOKENS.flaky}`, `dingtalk:${TOKENS.good}`, 'sms', `wecom:${KEYS.busy}`, `wecom:${KEYS.good}`].sort());
    // No @-mention on a resolution.
    expect(resolved.find((r) => r.robot === `dingtalk:${TOKENS.good}`)!.body).toMatchObject({ at: { atMobiles: [] } });
    const metrics = await (await fetch(`${ctx.t.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/tidewatch_notifications_total\{channel="wecom",outcome="failed"\} [1-9]/);
    expect(metrics).toMatch(/tidewatch_notifications_total\{channel="dingtalk",outcome="sent"\} [1-9]/);
    expect(metrics).toMatch(/tidewatch_notifications_total\{channel="sms",outcome="sent"\} [1-9]/);
  });

  it('never rings for an alert computed from a day-old reading', async () => {
    const site = 'gas-qixianling-valve';
    const countBefore = received.length;
    await lel(site, 70, Date.now() - 86_400_000);
    const alert = await openAlert(site);
    expect(alert.severity).toBe('critical');
    expect(alert.detail.historical).toBe(true);
    // Long enough for every channel to have sent (and retried) had it qualified.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(mentioning(`#${alert.id}`)).toEqual([]);
    expect(received.slice(countBefore).filter((r) => JSON.stringify(r.body).includes('七贤岭'))).toEqual([]);
    expect(await deliveries(`?alert=${alert.id}`)).toEqual([]);
  });
});
