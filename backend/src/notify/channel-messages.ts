import { createHmac } from 'node:crypto';
import { NOTIFY_CHANNELS, tzOffsetMs, type NotifyChannel } from '@tidewatch/contracts';
import type { AlertRecord } from '../alerts/alerts.repository.js';
import { SEVERITIES, type Severity } from '../alerts/rule-model.js';

/**
 * What the duty-room channels say and how their answers are read: pure functions, no I/O
 * (docs/architecture.md §8). The sender (channel-sender.ts) only queues, paces and retries.
 */

export const CHANNELS = NOTIFY_CHANNELS;
export type Channel = NotifyChannel;

/** Every change an alert announces (AlertEngine and AlertActions). */
export const ALERT_EVENTS = ['opened', 'raised', 'retriggered', 'cleared', 'escalated', 'reannounced', 'acknowledged', 'resolved', 'assigned', 'comment'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];
/** New alerts, escalations and resolutions: what a duty room wants rung by default. */
export const DEFAULT_NOTIFY_EVENTS: readonly AlertEvent[] = ['opened', 'raised', 'retriggered', 'escalated', 'resolved'];

export interface NotifyPolicy {
  /** The least severity sent (SEVERITIES order: critical is the most severe). */
  minSeverity: Severity;
  events: ReadonlySet<string>;
}

/** Severity rank: 0 for critical … 3 for warning. */
function rank(s: string): number {
  const i = (SEVERITIES as readonly string[]).indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
}

/**
 * Whether a change goes out on a channel. Never an alert computed from backfilled data
 * (`detail.historical`): it must not ring anywhere. A resolution is sent for an alert that
 * qualified by its severity (so was announced when it opened or was raised, unless it was
 * historical then: its current trigger removes the mark, and that trigger was announced).
 */
export function qualifies(event: string, alert: Pick<AlertRecord, 'severity' | 'detail'>, policy: NotifyPolicy): boolean {
  if (alert.detail?.historical === true) return false;
  if (!policy.events.has(event)) return false;
  return rank(alert.severity) <= rank(policy.minSeverity);
}

export const SEVERITY_ZH: Record<Severity, string> = { critical: '紧急', major: '重要', minor: '次要', warning: '提示' };
export const SEVERITY_EN: Record<Severity, string> = { critical: 'Critical', major: 'Major', minor: 'Minor', warning: 'Warning' };
export const EVENT_ZH: Record<AlertEvent, string> = {
  opened: '新告警',
  raised: '告警升级为更高级别',
  retriggered: '告警再次触发',
  cleared: '告警条件已恢复',
  escalated: '告警未确认，已逐级上报',
  reannounced: '告警仍未确认',
  acknowledged: '告警已确认',
  resolved: '告警已解决',
  assigned: '告警已指派',
  comment: '告警有新的处理说明',
};
export const EVENT_EN: Record<AlertEvent, string> = {
  opened: 'New alert',
  raised: 'Alert raised to a higher severity',
  retriggered: 'Alert triggered again',
  cleared: 'Alert condition ended',
  escalated: 'Alert not acknowledged: escalated',
  reannounced: 'Alert still not acknowledged',
  acknowledged: 'Alert acknowledged',
  resolved: 'Alert resolved',
  assigned: 'Alert assigned',
  comment: 'New note on the alert',
};

const sevZh = (s: string): string => SEVERITY_ZH[s as Severity] ?? s;
const sevEn = (s: string): string => SEVERITY_EN[s as Severity] ?? s;
const eventZh = (e: string): string => EVENT_ZH[e as AlertEvent] ?? e;
const eventEn = (e: string): string => EVENT_EN[e as AlertEvent] ?? e;

export interface MessageContext {
  /** TZ_DISTRICT: times are written in the district's time. */
  tz: string;
  /** The dashboard's public address (PUBLIC_URL), for a link; null: no link. */
  publicUrl: string | null;
}

/** Zones whose time is what people in China call 北京时间. */
const BEIJING_ZONES = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Harbin', 'Asia/Urumqi', 'PRC', 'Asia/Beijing']);

/** `2026-12-07 19:30` in the district's time, and the zone's name in both languages. */
export function districtClock(iso: string, tz: string): { text: string; zoneZh: string; zoneEn: string } {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return { text: iso, zoneZh: '', zoneEn: '' };
  const text = new Date(ms + tzOffsetMs(ms, tz)).toISOString().slice(0, 16).replace('T', ' ');
  const beijing = BEIJING_ZONES.has(tz);
  return { text, zoneZh: beijing ? '北京时间' : tz, zoneEn: beijing ? 'Beijing time' : tz };
}

/** The time a change happened: the opening for a new alert, else the alert's last change. */
function eventTime(event: string, alert: AlertRecord): string {
  return event === 'opened' ? alert.opened_at : alert.updated_at;
}

/** The dashboard's alert log, or null. */
export function dashboardLink(ctx: MessageContext): string | null {
  if (!ctx.publicUrl) return null;
  return `${ctx.publicUrl.replace(/\/+$/, '')}/alerts`;
}

/**
 * Text from the alert (titles, names, user names) in a robot's markdown: neither robot's
 * markdown knows backslash escapes, so the characters that would start markup (emphasis,
 * links, tags, headings, code) are written as their full-width forms, which read the same
 * to a Chinese reader; line breaks become spaces. Cut to `max` characters.
 */
const FULL_WIDTH: Record<string, string> = { '*': '＊', '`': '｀', '[': '［', ']': '］', '<': '＜', '>': '＞', '#': '＃', '|': '｜', '~': '～', '\\': '＼' };
export function markdownText(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return cut.replace(/[*`[\]<>#|~\\]/g, (c) => FULL_WIDTH[c]!).replace(/[\r\n]+/g, ' ');
}

/** The lines both robots show, Chinese first with the English beside it. */
function detailLines(event: string, alert: AlertRecord, ctx: MessageContext): string[] {
  const clock = districtClock(eventTime(event, alert), ctx.tz);
  const lines = [
    `> 事件 Event：${eventZh(event)} · ${eventEn(event)}`,
    `> 监测点 Site：${markdownText(alert.site_name_zh)} · ${markdownText(alert.site_name_en)}`,
    `> 级别 Severity：${sevZh(alert.severity)} · ${sevEn(alert.severity)}`,
    `> 时间 Time：${clock.text} ${clock.zoneZh}${clock.zoneEn ? ` (${clock.zoneEn})` : ''}`,
  ];
  if (alert.escalation_level > 0) lines.push(`> 上报 Escalation：第 ${alert.escalation_level} 级 · level ${alert.escalation_level}`);
  if (alert.assigned_to) lines.push(`> 指派 Assigned to：${markdownText(alert.assigned_to, 64)}`);
  lines.push(`> 编号 Alert：#${alert.id}`);
  return lines;
}

function headline(event: string, alert: AlertRecord): { zh: string; en: string } {
  const done = event === 'resolved' || event === 'cleared';
  return {
    zh: `【${sevZh(alert.severity)}告警${done ? ` · ${eventZh(event)}` : ''}】${markdownText(alert.site_name_zh)}：${markdownText(alert.title_zh)}`,
    en: `${sevEn(alert.severity)} alert${done ? ` · ${eventEn(event)}` : ''}: ${markdownText(alert.site_name_en)}: ${markdownText(alert.title_en)}`,
  };
}

/** WeCom's markdown colours: `warning` is orange-red, `info` green, `comment` grey. */
function wecomColour(event: string, severity: string): string {
  if (event === 'resolved' || event === 'cleared') return 'info';
  return severity === 'critical' || severity === 'major' ? 'warning' : 'comment';
}

/**
 * A WeCom group robot message (企业微信群机器人, `msgtype: markdown`; content at most 4096
 * bytes in UTF-8, which the title cuts keep well within).
 */
export function wecomMessage(event: string, alert: AlertRecord, ctx: MessageContext): { msgtype: 'markdown'; markdown: { content: string } } {
  const h = headline(event, alert);
  const link = dashboardLink(ctx);
  const content = [
    `### <font color="${wecomColour(event, alert.severity)}">${h.zh}</font>`,
    h.en,
    ...detailLines(event, alert, ctx),
    ...(link ? [`[在看板中查看 · Open the dashboard](${link})`] : []),
  ].join('\n');
  return { msgtype: 'markdown', markdown: { content } };
}

/**
 * A DingTalk custom robot message (钉钉自定义机器人, `msgtype: markdown` with `title` shown in
 * the chat list, and `at`). Mobiles are @-mentioned on critical alerts that are news (DingTalk
 * shows the mention only when `@mobile` also appears in the text).
 */
export function dingtalkMessage(
  event: string,
  alert: AlertRecord,
  ctx: MessageContext,
  atMobiles: readonly string[] = [],
): { msgtype: 'markdown'; markdown: { title: string; text: string }; at: { atMobiles: string[]; isAtAll: false } } {
  const h = headline(event, alert);
  const link = dashboardLink(ctx);
  const mention = alert.severity === 'critical' && event !== 'resolved' && event !== 'cleared' ? [...atMobiles] : [];
  const lines = [`### ${h.zh}`, '', h.en, '', ...detailLines(event, alert, ctx).flatMap((l) => [l, '']), ...(link ? [`[在看板中查看 · Open the dashboard](${link})`] : [])];
  if (mention.length > 0) lines.push('', mention.map((m) => `@${m}`).join(' '));
  // The title is what the chat list shows; it also carries the keyword 告警 for robots secured by keyword.
  const title = `${sevZh(alert.severity)}告警 ${alert.site_name_zh}`.slice(0, 64);
  return { msgtype: 'markdown', markdown: { title, text: lines.join('\n') }, at: { atMobiles: mention, isAtAll: false } };
}

/** The changes in as few characters as an SMS allows. */
const SMS_EVENT_ZH: Record<AlertEvent, string> = {
  opened: '新告警',
  raised: '级别升高',
  retriggered: '再次触发',
  cleared: '已恢复',
  escalated: '未确认已上报',
  reannounced: '仍未确认',
  acknowledged: '已确认',
  resolved: '已解决',
  assigned: '已指派',
  comment: '新说明',
};

/** One SMS segment of Chinese text (UCS-2): 70 characters. */
export const SMS_SEGMENT = 70;

function clip(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return max <= 1 ? chars.slice(0, Math.max(0, max)).join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * The SMS text: Chinese only, to stay within one 70-character segment (an English line
 * would take two or three segments). The site name and then the title are shortened to
 * fit; the dashboard link, when PUBLIC_URL is set, is added after them and takes the
 * message into a second segment. `prefix`: a signature such as 【潮汐守望】 when the
 * gateway does not add one. E.g.
 * `【紧急告警】河口小区燃气立管 可燃气体浓度超限 12-07 19:30 北京时间 上报1级 #12`.
 */
export function smsText(event: string, alert: AlertRecord, ctx: MessageContext, prefix = ''): string {
  const clock = districtClock(eventTime(event, alert), ctx.tz);
  const what = event === 'opened' ? '' : `${SMS_EVENT_ZH[event as AlertEvent] ?? eventZh(event)} `;
  const head = `${prefix}【${sevZh(alert.severity)}告警】${what}`;
  const tail = [
    ` ${clock.text.slice(5)} ${clock.zoneZh}`,
    alert.escalation_level > 0 ? ` 上报${alert.escalation_level}级` : '',
    alert.assigned_to ? ` 指派${clip(alert.assigned_to, 8)}` : '',
    ` #${alert.id}`,
  ].join('');
  const room = SMS_SEGMENT - [...head].length - [...tail].length - 1;
  const site = clip(alert.site_name_zh, Math.max(4, Math.min([...alert.site_name_zh].length, Math.floor(room / 2))));
  const title = clip(alert.title_zh, Math.max(4, room - [...site].length));
  const link = dashboardLink(ctx);
  return `${head}${site} ${title}${tail}${link ? ` ${link}` : ''}`;
}

/** The SMS gateway's request body (docs/contract.md §7): `{ to: [...], text }`. */
export function smsMessage(recipients: readonly string[], text: string): { to: string[]; text: string } {
  return { to: [...recipients], text };
}

/**
 * DingTalk's 加签: HMAC-SHA256 keyed with the secret over `timestamp + "\n" + secret`, in
 * base64 (the caller URL-encodes it as the `sign` query parameter).
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/** The robot's URL with `timestamp` and `sign` (URL-encoded) added; unchanged without a secret. */
export function signedDingtalkUrl(url: string, secret: string | null, timestampMs: number): string {
  if (!secret) return url;
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestampMs));
  u.searchParams.set('sign', dingtalkSign(secret, timestampMs));
  return u.toString();
}

export interface ReplyVerdict {
  ok: boolean;
  /** Worth trying again (the robot was busy, rate-limited, or answered 5xx). */
  retry: boolean;
  /** The robot's errcode when it answered one. */
  errcode: number | null;
  error: string | null;
  /** A rate limit: the target is paused before anything else is sent to it. */
  rateLimited: boolean;
}

/**
 * Robot errcodes worth a retry: -1 system busy (both); WeCom 45009 / 45033 frequency and
 * concurrency limits; DingTalk 130101 "send too fast, exceed 20 times per minute" and 410100
 * its newer flow-control code. Every other non-zero errcode (an invalid key or token, a
 * stopped robot, a failed signature or keyword, a bad message) is final: retrying cannot help.
 */
const RATE_LIMIT_CODES: Record<'wecom' | 'dingtalk', ReadonlySet<number>> = {
  wecom: new Set([45009, 45033]),
  dingtalk: new Set([130101, 410100]),
};
const BUSY_CODES = new Set([-1]);

function httpVerdict(status: number): ReplyVerdict {
  const rateLimited = status === 429;
  return { ok: false, retry: rateLimited || status >= 500 || status === 408, errcode: null, error: `HTTP ${status}`, rateLimited };
}

/**
 * Reads a channel's answer. The robots answer HTTP 200 with `{"errcode":0,"errmsg":"ok"}`
 * when the message was taken, and a non-zero errcode otherwise (also with HTTP 200). The SMS
 * gateway: any 2xx is accepted; 408, 429 and 5xx are retried, other 4xx are final; a JSON
 * answer with a non-zero numeric `errcode` or `code` is a final failure.
 */
export function interpretReply(channel: Channel, status: number, body: string): ReplyVerdict {
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : null;
  } catch {
    parsed = null;
  }
  const obj = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  if (channel === 'sms') {
    if (status < 200 || status >= 300) return httpVerdict(status);
    const code = obj ? (typeof obj.errcode === 'number' ? obj.errcode : typeof obj.code === 'number' ? obj.code : null) : null;
    if (code !== null && code !== 0) return { ok: false, retry: false, errcode: code, error: `gateway code ${code}${describe(obj)}`, rateLimited: false };
    return { ok: true, retry: false, errcode: code, error: null, rateLimited: false };
  }
  if (status < 200 || status >= 300) return httpVerdict(status);
  const errcode = obj && typeof obj.errcode === 'number' ? obj.errcode : null;
  if (errcode === null) return { ok: false, retry: true, errcode: null, error: 'answer without errcode', rateLimited: false };
  if (errcode === 0) return { ok: true, retry: false, errcode: 0, error: null, rateLimited: false };
  const rateLimited = RATE_LIMIT_CODES[channel].has(errcode);
  return { ok: false, retry: rateLimited || BUSY_CODES.has(errcode), errcode, error: `errcode ${errcode}${describe(obj)}`, rateLimited };
}

function describe(obj: Record<string, unknown> | null): string {
  const msg = obj?.errmsg ?? obj?.message ?? obj?.msg;
  return typeof msg === 'string' && msg ? `: ${msg.slice(0, 200)}` : '';
}

/** Query parameters that carry a credential in the robots' URLs (and any gateway's). */
const SECRET_PARAMS = /^(key|access_token|token|sign|secret|signature|apikey|api_key|password|auth)$/i;

/**
 * A URL fit for the log and the deliveries table: credentials in the query (WeCom `key`,
 * DingTalk `access_token`, `sign`…) and any user or password replaced by `***`; the
 * first 4 characters of a key are kept, to tell robots apart.
 */
export function maskTarget(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '***';
  }
  if (u.username) u.username = '***';
  if (u.password) u.password = '***';
  const params = [...u.searchParams.entries()];
  if (params.length > 0) {
    const masked = params.map(([k, v]) => `${encodeURIComponent(k)}=${SECRET_PARAMS.test(k) ? `${v.length > 8 ? v.slice(0, 4) : ''}***` : encodeURIComponent(v)}`);
    u.search = '';
    return `${u.toString()}?${masked.join('&')}`;
  }
  return u.toString();
}

/** Text with every given secret (and its URL-encoded form) replaced by `***`: for error messages and logs. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(/([?&](?:key|access_token|token|sign|secret|signature|apikey|api_key|password|auth)=)[^&\s"'#]+/gi, '$1***');
  for (const s of secrets) {
    if (s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}
