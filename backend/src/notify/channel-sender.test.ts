import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { TargetSender, WINDOW_MS, type ChannelTarget, type DeliveryRecord, type SenderOptions } from './channel-sender.js';

const log = createLogger('silent');
const OPTS: SenderOptions = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000, timeoutMs: 5000, queueMax: 50 };

type Answer = { status: number; body: object | string } | 'network' | 'hang';
/** A fake fetch answering from a script (then errcode 0), remembering when and what was asked. */
function fakeFetch(script: Answer[] = []) {
  const calls: { at: number; url: string; body: string; headers: Record<string, string> }[] = [];
  const impl = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ at: Date.now(), url: String(url), body: String(init?.body), headers: init?.headers as Record<string, string> });
    const a = script.shift() ?? { status: 200, body: { errcode: 0, errmsg: 'ok' } };
    if (a === 'network') throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9 for ?key=secret-key-123') });
    if (a === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })));
      });
    }
    return new Response(typeof a.body === 'string' ? a.body : JSON.stringify(a.body), { status: a.status });
  });
  return { impl: impl as unknown as typeof fetch, calls };
}

function recorder() {
  const all: DeliveryRecord[] = [];
  const latest = new Map<string, DeliveryRecord>();
  return {
    all,
    latest,
    record(r: DeliveryRecord) {
      all.push(r);
      latest.set(r.id, r);
    },
  };
}

const target = (over: Partial<ChannelTarget> = {}): ChannelTarget => ({
  channel: 'wecom',
  masked: 'https://robot.example/send?key=secr***',
  ratePerMin: 20,
  secrets: ['secret-key-123'],
  request: (body, nowMs) => ({ url: `https://robot.example/send?key=secret-key-123&t=${nowMs}`, headers: { 'content-type': 'application/json' }, body }),
  ...over,
});

function make(script: Answer[] = [], over: Partial<ChannelTarget> = {}, opts: Partial<SenderOptions> = {}) {
  const f = fakeFetch(script);
  const rec = recorder();
  const outcomes: string[] = [];
  const sender = new TargetSender(target(over), { ...OPTS, ...opts }, rec, log, (ch, o) => outcomes.push(`${ch}:${o}`), f.impl);
  return { sender, rec, outcomes, calls: f.calls };
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-12-07T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TargetSender', () => {
  it('sends a message at once and records it pending, then sent', async () => {
    const { sender, rec, outcomes, calls } = make();
    const id = sender.enqueue(7, 'opened', '{"msgtype":"text"}');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toBe('{"msgtype":"text"}');
    expect(rec.all.map((r) => r.outcome)).toEqual(['pending', 'sent']);
    expect(rec.latest.get(id)).toMatchObject({ channel: 'wecom', target: 'https://robot.example/send?key=secr***', alertId: 7, event: 'opened', attempts: 1, outcome: 'sent', httpStatus: 200, errcode: 0, lastError: null });
    expect(rec.latest.get(id)!.sentAt).toBeInstanceOf(Date);
    expect(outcomes).toEqual(['wecom:sent']);
    await sender.idle();
  });

  it('retries a busy robot and HTTP 500 with doubling back-off, recording each attempt', async () => {
    const { sender, rec, calls } = make([{ status: 200, body: { errcode: -1, errmsg: 'system busy' } }, { status: 500, body: '' }]);
    const id = sender.enqueue(1, 'opened', 'b');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(rec.latest.get(id)).toMatchObject({ outcome: 'pending', attempts: 1, errcode: -1, lastError: 'errcode -1: system busy' });
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(rec.latest.get(id)).toMatchObject({ outcome: 'pending', attempts: 2, httpStatus: 500, lastError: 'HTTP 500' });
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    expect(rec.latest.get(id)).toMatchObject({ outcome: 'sent', attempts: 3, errcode: 0, lastError: null });
  });

  it('does not retry what cannot succeed (an invalid key)', async () => {
    const { sender, rec, outcomes, calls } = make([{ status: 200, body: { errcode: 93000, errmsg: 'invalid webhook url' } }]);
    const id = sender.enqueue(1, 'opened', 'b');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(rec.latest.get(id)).toMatchObject({ outcome: 'failed', attempts: 1, errcode: 93000 });
    expect(outcomes).toEqual(['wecom:failed']);
  });

  it('gives up after the last attempt', async () => {
    const { sender, rec, outcomes, calls } = make(['network', 'network', 'network', 'network', 'network']);
    const id = sender.enqueue(1, 'opened', 'b');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(OPTS.maxAttempts);
    expect(rec.latest.get(id)).toMatchObject({ outcome: 'failed', attempts: 4, httpStatus: null });
    // The key in the error is masked.
    expect(rec.latest.get(id)!.lastError).toContain('ECONNREFUSED');
    expect(rec.latest.get(id)!.lastError).not.toContain('secret-key-123');
    expect(outcomes).toEqual(['wecom:failed']);
  });

  it('times out a request that is not answered, and retries it', async () => {
    const { sender, rec, calls } = make(['hang'], {}, { timeoutMs: 2000 });
    const id = sender.enqueue(1, 'opened', 'b');
    await vi.advanceTimersByTimeAsync(2000);
    expect(rec.latest.get(id)).toMatchObject({ outcome: 'pending', attempts: 1, lastError: 'timed out after 2000 ms' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    expect(rec.latest.get(id)).toMatchObject({ outcome: 'sent', attempts: 2 });
  });

  it('sends at most ratePerMin in any minute; the rest wait in order and none is lost', async () => {
    const { sender, rec, calls } = make([], { ratePerMin: 20 });
    for (let i = 0; i < 45; i++) sender.enqueue(i, 'opened', `m${i}`);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(20);
    await vi.advanceTimersByTimeAsync(WINDOW_MS - 1);
    expect(calls).toHaveLength(20);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(40);
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    expect(calls).toHaveLength(45);
    expect(calls.map((c) => c.body)).toEqual(Array.from({ length: 45 }, (_, i) => `m${i}`));
    // In every sliding minute at most 20.
    for (const c of calls) expect(calls.filter((d) => d.at >= c.at && d.at < c.at + WINDOW_MS).length).toBeLessThanOrEqual(20);
    expect([...rec.latest.values()].every((r) => r.outcome === 'sent')).toBe(true);
    await sender.idle();
  });

  it('a rate-limit answer pauses the robot: the messages behind wait too', async () => {
    const { sender, rec, calls } = make([{ status: 200, body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } }], { channel: 'dingtalk' });
    const a = sender.enqueue(1, 'opened', 'a');
    const b = sender.enqueue(2, 'opened', 'b');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.body)).toEqual(['a', 'a', 'b']);
    expect(rec.latest.get(a)).toMatchObject({ outcome: 'sent', attempts: 2 });
    expect(rec.latest.get(b)).toMatchObject({ outcome: 'sent', attempts: 1 });
  });

  it('a message waiting for a retry does not hold back the next one (no rate limit)', async () => {
    const { sender, calls } = make([{ status: 502, body: '' }]);
    sender.enqueue(1, 'opened', 'a');
    sender.enqueue(2, 'opened', 'b');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.body)).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.map((c) => c.body)).toEqual(['a', 'b', 'a']);
  });

  it('builds each request when it is sent (a fresh DingTalk signature on a retry)', async () => {
    const { sender, calls } = make([{ status: 500, body: '' }]);
    sender.enqueue(1, 'opened', 'a');
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.url).not.toBe(calls[1]!.url);
  });

  it('drops, and records as dropped, what comes when the queue is full', async () => {
    const { sender, rec, outcomes } = make(['hang'], {}, { queueMax: 3, timeoutMs: 60_000 });
    const ids = Array.from({ length: 5 }, (_, i) => sender.enqueue(i, 'opened', `m${i}`));
    await vi.advanceTimersByTimeAsync(0);
    // One in flight, three waiting: the fifth found the queue full.
    expect(sender.queued).toBe(3);
    expect(rec.latest.get(ids[4]!)).toMatchObject({ outcome: 'dropped', attempts: 0, lastError: 'queue full (3 waiting)' });
    expect(outcomes).toEqual(['wecom:dropped']);
  });

  it('on stop, records what still waits as dropped and sends nothing more', async () => {
    const { sender, rec, calls } = make([{ status: 500, body: '' }], { ratePerMin: 1 });
    const a = sender.enqueue(1, 'opened', 'a');
    const b = sender.enqueue(2, 'opened', 'b');
    await vi.advanceTimersByTimeAsync(0);
    sender.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(1);
    expect(rec.latest.get(a)).toMatchObject({ outcome: 'dropped', attempts: 1, lastError: 'hub stopping; last: HTTP 500' });
    expect(rec.latest.get(b)).toMatchObject({ outcome: 'dropped', attempts: 0, lastError: 'hub stopping' });
    const late = sender.enqueue(3, 'opened', 'c');
    expect(rec.latest.get(late)).toMatchObject({ outcome: 'dropped', lastError: 'hub stopping' });
    await sender.idle();
  });

  it('hands the recorder copies: a later step does not change an earlier record', async () => {
    const { sender, rec } = make([{ status: 500, body: '' }]);
    sender.enqueue(1, 'opened', 'a');
    await vi.advanceTimersByTimeAsync(2000);
    expect(rec.all.map((r) => `${r.outcome}/${r.attempts}`)).toEqual(['pending/0', 'pending/1', 'sent/2']);
  });
});
