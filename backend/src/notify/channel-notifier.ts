import type { AlertRecord } from '../alerts/alerts.repository.js';
import { dingtalkSecrets, type Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import {
  dingtalkMessage,
  maskTarget,
  qualifies,
  signedDingtalkUrl,
  smsMessage,
  smsText,
  wecomMessage,
  type Channel,
  type MessageContext,
  type NotifyPolicy,
} from './channel-messages.js';
import { TargetSender, type ChannelTarget, type DeliveryOutcome, type DeliveryRecorder, type SenderOptions } from './channel-sender.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
/** Retries wait at most this long. */
const MAX_DELAY_MS = 60_000;

/** Query values that are credentials, for masking them in errors. */
function urlSecrets(url: string): string[] {
  try {
    return [...new URL(url).searchParams.entries()].filter(([k]) => /^(key|access_token|token|secret)$/i.test(k)).map(([, v]) => v);
  } catch {
    return [];
  }
}

interface Route {
  sender: TargetSender;
  policy: NotifyPolicy;
  body(event: string, alert: AlertRecord): string;
}

export interface ChannelNotifierDeps {
  recorder: DeliveryRecorder;
  log: Logger;
  onOutcome?: (channel: Channel, outcome: Exclude<DeliveryOutcome, 'pending'>) => void;
  fetchImpl?: typeof fetch;
}

/**
 * The duty-room channels configured (docs/contract.md §7): for each alert change that
 * qualifies, one message per WeCom robot, DingTalk robot and SMS gateway, each target with
 * its own queue, pace and retries (TargetSender).
 */
export class ChannelNotifier {
  private readonly routes: Route[] = [];

  constructor(config: Config, deps: ChannelNotifierDeps) {
    const ctx: MessageContext = { tz: config.TZ_DISTRICT, publicUrl: config.PUBLIC_URL ?? null };
    const events = new Set<string>(config.NOTIFY_EVENTS);
    const policy: NotifyPolicy = { minSeverity: config.NOTIFY_MIN_SEVERITY, events };
    const opts: SenderOptions = {
      maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
      baseDelayMs: config.NOTIFY_RETRY_BASE_MS,
      maxDelayMs: Math.max(MAX_DELAY_MS, config.NOTIFY_RETRY_BASE_MS),
      timeoutMs: config.NOTIFY_TIMEOUT_MS,
      queueMax: config.NOTIFY_QUEUE_MAX,
    };
    const add = (target: ChannelTarget, routePolicy: NotifyPolicy, body: Route['body']): void => {
      this.routes.push({ sender: new TargetSender(target, opts, deps.recorder, deps.log, deps.onOutcome, deps.fetchImpl), policy: routePolicy, body });
    };
    for (const url of config.WECOM_WEBHOOK_URLS ?? []) {
      add(
        { channel: 'wecom', masked: maskTarget(url), ratePerMin: config.NOTIFY_ROBOT_RATE_PER_MIN, secrets: urlSecrets(url), request: (body) => ({ url, headers: JSON_HEADERS, body }) },
        policy,
        (event, alert) => JSON.stringify(wecomMessage(event, alert, ctx)),
      );
    }
    const secrets = dingtalkSecrets(config.DINGTALK_SECRET);
    const atMobiles = config.DINGTALK_AT_MOBILES ?? [];
    (config.DINGTALK_WEBHOOK_URLS ?? []).forEach((url, i) => {
      const secret = secrets.length > 1 ? secrets[i]! : (secrets[0] ?? null);
      add(
        {
          channel: 'dingtalk',
          masked: maskTarget(url),
          ratePerMin: config.NOTIFY_ROBOT_RATE_PER_MIN,
          secrets: [...urlSecrets(url), ...(secret ? [secret] : [])],
          // Signed at the moment of sending: DingTalk refuses a timestamp more than an hour off.
          request: (body, nowMs) => ({ url: signedDingtalkUrl(url, secret, nowMs), headers: JSON_HEADERS, body }),
        },
        policy,
        (event, alert) => JSON.stringify(dingtalkMessage(event, alert, ctx, atMobiles)),
      );
    });
    if (config.SMS_GATEWAY_URL) {
      const url = config.SMS_GATEWAY_URL;
      const token = config.SMS_GATEWAY_TOKEN ?? null;
      const header = config.SMS_GATEWAY_AUTH_HEADER;
      const auth: Record<string, string> = !token ? {} : header.toLowerCase() === 'authorization' ? { authorization: `Bearer ${token}` } : { [header.toLowerCase()]: token };
      const recipients = config.SMS_RECIPIENTS ?? [];
      add(
        { channel: 'sms', masked: maskTarget(url), ratePerMin: config.SMS_RATE_PER_MIN, secrets: [...urlSecrets(url), ...(token ? [token] : [])], request: (body) => ({ url, headers: { ...JSON_HEADERS, ...auth }, body }) },
        { ...policy, minSeverity: config.SMS_MIN_SEVERITY ?? config.NOTIFY_MIN_SEVERITY },
        (event, alert) => JSON.stringify(smsMessage(recipients, smsText(event, alert, ctx))),
      );
    }
  }

  /** How many robots and gateways are configured, by channel (for the start-up log). */
  get summary(): Record<Channel, number> {
    const out: Record<Channel, number> = { wecom: 0, dingtalk: 0, sms: 0 };
    for (const r of this.routes) out[r.sender.target.channel]++;
    return out;
  }

  get configured(): boolean {
    return this.routes.length > 0;
  }

  /** An alert changed (called once across a cluster, on the hub that made the change). */
  notify(event: string, alert: AlertRecord): void {
    for (const r of this.routes) {
      if (!qualifies(event, alert, r.policy)) continue;
      r.sender.enqueue(alert.id, event, r.body(event, alert));
    }
  }

  /** Resolves once every target's queue is empty (tests). */
  async idle(): Promise<void> {
    await Promise.all(this.routes.map((r) => r.sender.idle()));
  }

  stop(): void {
    for (const r of this.routes) r.sender.stop();
  }
}
