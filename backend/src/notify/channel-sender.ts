import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import { interpretReply, maskSecrets, type Channel, type ReplyVerdict } from './channel-messages.js';

export type DeliveryOutcome = 'pending' | 'sent' | 'failed' | 'dropped';

/** One message to one target, as the deliveries table keeps it (db/migrations/014_notifications.sql). */
export interface DeliveryRecord {
  id: string;
  channel: Channel;
  /** The target's URL with its key or token masked. */
  target: string;
  alertId: number;
  event: string;
  attempts: number;
  outcome: DeliveryOutcome;
  lastError: string | null;
  httpStatus: number | null;
  errcode: number | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
}

/** Where a delivery's state goes after each step (batched to the database by DeliveryLog). */
export interface DeliveryRecorder {
  record(r: DeliveryRecord): void;
}

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** One robot or gateway. */
export interface ChannelTarget {
  channel: Channel;
  /** The masked URL: for the log and the records. */
  masked: string;
  /** The request for a body, built at the moment of sending (DingTalk's signature carries the time). */
  request(body: string, nowMs: number): OutboundRequest;
  /** At most this many requests in any 60 seconds (the robots allow 20 a minute). */
  ratePerMin: number;
  /** Keys and tokens never to appear in a logged or recorded error. */
  secrets: readonly string[];
}

export interface SenderOptions {
  maxAttempts: number;
  /** The first retry waits this long, each next one twice as long… */
  baseDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
  timeoutMs: number;
  /** Messages waiting for this target at most; past it a new one is dropped (and recorded so). */
  queueMax: number;
}

export const WINDOW_MS = 60_000;

interface Pending {
  record: DeliveryRecord;
  body: string;
  /** Not sent before this (a retry's back-off). */
  notBefore: number;
}

/**
 * Sends to one target in order, one request at a time: at most `ratePerMin` requests in any
 * sliding minute (a message over the rate waits in the queue, it is not lost), retrying with
 * exponential back-off what can succeed later (time-outs, 5xx, a busy or rate-limited robot),
 * with a bounded queue. Every step is handed to the recorder; nothing here touches the database.
 */
export class TargetSender {
  private readonly queue: Pending[] = [];
  /** When the requests of the last minute were made. */
  private readonly sent: number[] = [];
  private pausedUntil = 0;
  private busy = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  /** Resolved when the queue is empty and nothing is in flight (tests, stop). */
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly target: ChannelTarget,
    private readonly opts: SenderOptions,
    private readonly recorder: DeliveryRecorder,
    private readonly log: Logger,
    private readonly onOutcome: (channel: Channel, outcome: Exclude<DeliveryOutcome, 'pending'>) => void = () => {},
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  /** Queues a message for an alert's change; returns its delivery id. */
  enqueue(alertId: number, event: string, body: string): string {
    const now = Date.now();
    const record: DeliveryRecord = {
      id: randomUUID(),
      channel: this.target.channel,
      target: this.target.masked,
      alertId,
      event,
      attempts: 0,
      outcome: 'pending',
      lastError: null,
      httpStatus: null,
      errcode: null,
      createdAt: new Date(now),
      lastAttemptAt: null,
      sentAt: null,
    };
    if (this.stopped || this.queue.length >= this.opts.queueMax) {
      record.outcome = 'dropped';
      record.lastError = this.stopped ? 'hub stopping' : `queue full (${this.opts.queueMax} waiting)`;
      this.log.error({ channel: record.channel, target: record.target, alert: alertId, event }, 'notification dropped: queue full');
      this.finish(record);
      return record.id;
    }
    this.queue.push({ record, body, notBefore: now });
    this.recorder.record({ ...record });
    this.schedule();
    return record.id;
  }

  /** Resolves once nothing waits or is in flight. */
  idle(): Promise<void> {
    if (!this.busy && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Ends sending: what still waits is recorded as dropped. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const p of this.queue.splice(0)) {
      p.record.outcome = 'dropped';
      p.record.lastError = p.record.lastError ? `hub stopping; last: ${p.record.lastError}` : 'hub stopping';
      this.finish(p.record);
    }
    this.settleIdle();
  }

  private finish(record: DeliveryRecord): void {
    this.recorder.record({ ...record });
    if (record.outcome !== 'pending') this.onOutcome(record.channel, record.outcome);
  }

  private settleIdle(): void {
    if (this.busy || this.queue.length > 0) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** When the next request may go (NaN: nothing to send). */
  private nextAt(now: number): number {
    if (this.queue.length === 0) return NaN;
    while (this.sent.length > 0 && this.sent[0]! <= now - WINDOW_MS) this.sent.shift();
    let at = Math.min(...this.queue.map((p) => p.notBefore));
    at = Math.max(at, this.pausedUntil);
    if (this.sent.length >= this.target.ratePerMin) at = Math.max(at, this.sent[this.sent.length - this.target.ratePerMin]! + WINDOW_MS);
    return at;
  }

  private schedule(): void {
    if (this.stopped || this.busy) return;
    const now = Date.now();
    const at = this.nextAt(now);
    if (Number.isNaN(at)) return this.settleIdle();
    if (at <= now) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.timerAt = Infinity;
      this.sendNext(now).catch((err: unknown) => {
        // Not expected (every step inside is guarded); the target must not stall on it.
        this.busy = false;
        this.log.error({ channel: this.target.channel, target: this.target.masked, err: String(err) }, 'notification sender failed');
        this.schedule();
      });
      return;
    }
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.schedule();
    }, at - now);
    this.timer.unref();
  }

  private async sendNext(now: number): Promise<void> {
    const i = this.queue.findIndex((p) => p.notBefore <= now);
    if (i < 0) return this.schedule();
    const p = this.queue[i]!;
    this.queue.splice(i, 1);
    this.busy = true;
    this.sent.push(now);
    const r = p.record;
    r.attempts++;
    r.lastAttemptAt = new Date(now);
    let verdict: ReplyVerdict;
    let status: number | null = null;
    // The time-out covers the answer's body too.
    const abort = new AbortController();
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.opts.timeoutMs);
    try {
      const req = this.target.request(p.body, now);
      const res = await this.fetchImpl(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: abort.signal, redirect: 'error' });
      status = res.status;
      const text = (await res.text()).slice(0, 4096);
      verdict = interpretReply(r.channel, res.status, text);
    } catch (err) {
      const e = err as Error;
      const why = timedOut ? `timed out after ${this.opts.timeoutMs} ms` : String((e as { cause?: unknown }).cause ?? e.message ?? e);
      verdict = { ok: false, retry: true, errcode: null, error: why, rateLimited: false };
    } finally {
      clearTimeout(timeout);
    }
    r.httpStatus = status;
    r.errcode = verdict.errcode;
    r.lastError = verdict.error === null ? null : maskSecrets(verdict.error, this.target.secrets).slice(0, 500);
    if (verdict.ok) {
      r.outcome = 'sent';
      r.sentAt = new Date();
      this.finish(r);
    } else if (verdict.retry && r.attempts < this.opts.maxAttempts && !this.stopped) {
      const delay = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (r.attempts - 1));
      // A rate limit holds back everything for this target, not only this message.
      if (verdict.rateLimited) this.pausedUntil = Date.now() + Math.max(delay, this.opts.baseDelayMs);
      p.notBefore = Date.now() + delay;
      this.queue.splice(i, 0, p);
      this.log.warn({ channel: r.channel, target: r.target, delivery: r.id, attempt: r.attempts, delay, err: r.lastError }, 'notification failed; retrying');
      this.recorder.record({ ...r });
    } else {
      r.outcome = 'failed';
      this.log.error({ channel: r.channel, target: r.target, delivery: r.id, attempts: r.attempts, err: r.lastError }, 'notification failed for good');
      this.finish(r);
    }
    this.busy = false;
    if (this.stopped) {
      // stop() came while this request was in flight: a retry queued since is dropped too.
      this.stop();
      return;
    }
    this.schedule();
  }
}
