import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { TargetSender, type DeliveryRecord } from './channel-sender.js';
import { DeliveryLog, type DeliveryStore } from './delivery-log.js';

const log = createLogger('silent');
const OPTS = { flushMs: 100, batchMax: 3, bufferMax: 5, retryMs: 1000 };

const rec = (id: string, over: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  id,
  channel: 'wecom',
  target: 'https://robot/send?key=***',
  alertId: 1,
  event: 'opened',
  attempts: 0,
  outcome: 'pending',
  lastError: null,
  httpStatus: null,
  errcode: null,
  createdAt: new Date(),
  lastAttemptAt: null,
  sentAt: null,
  ...over,
});

function store(failing = false) {
  const batches: DeliveryRecord[][] = [];
  const s = {
    failing,
    batches,
    upsert: vi.fn(async (records: readonly DeliveryRecord[]) => {
      if (s.failing) throw new Error('connect ECONNREFUSED');
      batches.push([...records]);
    }),
  };
  return s as DeliveryStore & typeof s;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DeliveryLog', () => {
  it('writes records in a batch shortly after, each delivery once with its newest state', async () => {
    const s = store();
    const l = new DeliveryLog(s, log, () => {}, OPTS);
    l.record(rec('a'));
    l.record(rec('b'));
    l.record(rec('a', { attempts: 1, outcome: 'sent' }));
    expect(s.upsert).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    expect(s.batches).toHaveLength(1);
    expect(s.batches[0]!.map((r) => `${r.id}:${r.outcome}`)).toEqual(['b:pending', 'a:sent']);
    expect(l.unwritten).toBe(0);
  });

  it('writes at once when a batch is full, in batches of at most batchMax', async () => {
    const s = store();
    const l = new DeliveryLog(s, log, () => {}, { ...OPTS, bufferMax: 100 });
    for (const id of ['a', 'b', 'c', 'd']) l.record(rec(id));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.batches.map((b) => b.map((r) => r.id))).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('keeps the records while the database is away and writes them when it is back, never throwing', async () => {
    const s = store(true);
    const l = new DeliveryLog(s, log, () => {}, OPTS);
    l.record(rec('a'));
    await vi.advanceTimersByTimeAsync(100);
    expect(s.upsert).toHaveBeenCalledTimes(1);
    expect(l.unwritten).toBe(1);
    // A newer state recorded during the outage wins over the one that failed.
    l.record(rec('a', { attempts: 1, outcome: 'sent' }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.upsert).toHaveBeenCalledTimes(2);
    s.failing = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(s.batches).toEqual([[expect.objectContaining({ id: 'a', outcome: 'sent' })]]);
    expect(l.unwritten).toBe(0);
  });

  it('does not let a row the database refuses hold back the others: that one is forgotten and counted', async () => {
    const written: string[] = [];
    const refusing: DeliveryStore = {
      upsert: async (records) => {
        if (records.some((r) => r.id === 'bad')) throw Object.assign(new Error('violates foreign key constraint'), { code: '23503' });
        written.push(...records.map((r) => r.id));
      },
    };
    let lost = 0;
    const l = new DeliveryLog(refusing, log, (n) => (lost += n), OPTS);
    for (const id of ['a', 'bad', 'c']) l.record(rec(id));
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual(['a', 'c']);
    expect(lost).toBe(1);
    expect(l.unwritten).toBe(0);
    l.record(rec('d'));
    await vi.advanceTimersByTimeAsync(100);
    expect(written).toEqual(['a', 'c', 'd']);
  });

  it('bounds what it keeps: past bufferMax the oldest are forgotten and counted', async () => {
    const s = store(true);
    let lost = 0;
    const l = new DeliveryLog(s, log, (n) => (lost += n), OPTS);
    for (let i = 0; i < 8; i++) l.record(rec(`r${i}`));
    expect(l.unwritten).toBe(5);
    expect(lost).toBe(3);
    s.failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.batches.flat().map((r) => r.id)).toEqual(['r3', 'r4', 'r5', 'r6', 'r7']);
  });

  it('writes what waits on stop, bounded in time, and schedules nothing after', async () => {
    const s = store();
    const l = new DeliveryLog(s, log, () => {}, OPTS);
    l.record(rec('a'));
    await l.stop(1000);
    expect(s.batches).toHaveLength(1);
    l.record(rec('b'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.batches).toHaveLength(1);
  });

  it('does not hang stopping when the database does not answer', async () => {
    const l = new DeliveryLog({ upsert: () => new Promise(() => {}) }, log, () => {}, OPTS);
    l.record(rec('a'));
    const stopped = l.stop(500);
    await vi.advanceTimersByTimeAsync(500);
    await expect(stopped).resolves.toBeUndefined();
  });
});

describe('sending while the database is away', () => {
  it('sends and retries from memory, and records the outcome once the database is back', async () => {
    const s = store(true);
    const l = new DeliveryLog(s, log, () => {}, OPTS);
    const answers = [500, 200];
    const fetchImpl = vi.fn(async () => {
      const status = answers.shift() ?? 200;
      return new Response(status === 200 ? '{"errcode":0}' : '', { status });
    }) as unknown as typeof fetch;
    const sender = new TargetSender(
      { channel: 'dingtalk', masked: 'https://robot/send?access_token=***', ratePerMin: 20, secrets: [], request: (body) => ({ url: 'https://robot/send', headers: {}, body }) },
      { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000, timeoutMs: 5000, queueMax: 10 },
      l,
      log,
      () => {},
      fetchImpl,
    );
    const id = sender.enqueue(9, 'opened', '{}');
    await vi.advanceTimersByTimeAsync(1000);
    // Sent on the retry although no record could be written.
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(s.batches).toEqual([]);
    expect(l.unwritten).toBe(1);
    s.failing = false;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(s.batches.flat()).toEqual([expect.objectContaining({ id, outcome: 'sent', attempts: 2 })]);
  });
});
