import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionRepository } from '../../src/database/retention.repository.js';
import type { DeliveryRecord } from '../../src/notify/channel-sender.js';
import { NotificationsRepository } from '../../src/notify/notifications.repository.js';
import { firstOfKind, freshDatabase, type FreshDatabase } from './fresh-database.js';

let db: FreshDatabase;
let repo: NotificationsRepository;
const alerts: number[] = [];
const T0 = Date.parse('2026-12-07T11:30:00.000Z');

const record = (alertId: number, over: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  id: randomUUID(),
  channel: 'wecom',
  target: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a***',
  alertId,
  event: 'opened',
  attempts: 0,
  outcome: 'pending',
  lastError: null,
  httpStatus: null,
  errcode: null,
  createdAt: new Date(T0),
  lastAttemptAt: null,
  sentAt: null,
  ...over,
});

beforeAll(async () => {
  db = await freshDatabase();
  repo = new NotificationsRepository(db.pool);
  const site = firstOfKind(db, 'gas_point');
  for (let i = 0; i < 2; i++) {
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO alert (site_key, rule_id, severity, state, title_zh, title_en, opened_at, last_triggered_at, announced_at)
       VALUES ($1, $2, 'critical', 'active', '可燃气体浓度超限', 'Gas over limit', now(), now(), now()) RETURNING id`,
      [site.key, `rule-${i}`],
    );
    alerts.push(Number(rows[0]!.id));
  }
});
afterAll(() => db?.drop());

describe('NotificationsRepository', () => {
  it('writes a batch, keeps each delivery’s newest state, and never lets an older one overwrite an outcome', async () => {
    const a = record(alerts[0]!);
    await repo.upsert([a]);
    const sent = { ...a, attempts: 2, outcome: 'sent' as const, httpStatus: 200, errcode: 0, lastAttemptAt: new Date(T0 + 2000), sentAt: new Date(T0 + 2100) };
    await repo.upsert([sent]);
    // A pending state written late (a retried batch) does not undo the outcome.
    await repo.upsert([{ ...a, attempts: 1, outcome: 'pending', lastError: 'HTTP 500', httpStatus: 500 }]);
    const [row] = await repo.list({ alert: alerts[0]!, limit: 10 });
    expect(row).toEqual({
      id: a.id,
      channel: 'wecom',
      target: a.target,
      alert_id: alerts[0],
      event: 'opened',
      attempts: 2,
      outcome: 'sent',
      last_error: null,
      http_status: 200,
      errcode: 0,
      created_at: '2026-12-07T11:30:00.000Z',
      last_attempt_at: '2026-12-07T11:30:02.000Z',
      sent_at: '2026-12-07T11:30:02.100Z',
    });
  });

  it('lists newest first, filtered by alert, channel and outcome, at most limit', async () => {
    await repo.upsert([
      record(alerts[1]!, { channel: 'dingtalk', outcome: 'failed', attempts: 1, errcode: 310000, lastError: 'errcode 310000: sign not match', createdAt: new Date(T0 + 10_000) }),
      record(alerts[1]!, { channel: 'sms', outcome: 'sent', attempts: 1, createdAt: new Date(T0 + 20_000) }),
      record(alerts[1]!, { channel: 'sms', outcome: 'dropped', lastError: 'queue full (1000 waiting)', createdAt: new Date(T0 + 30_000) }),
    ]);
    expect((await repo.list({ limit: 10 })).map((r) => r.channel)).toEqual(['sms', 'sms', 'dingtalk', 'wecom']);
    expect((await repo.list({ alert: alerts[1]!, limit: 10 })).length).toBe(3);
    expect((await repo.list({ channel: 'sms', limit: 10 })).map((r) => r.outcome)).toEqual(['dropped', 'sent']);
    expect((await repo.list({ outcome: 'failed', limit: 10 })).map((r) => r.errcode)).toEqual([310000]);
    expect((await repo.list({ channel: 'sms', outcome: 'sent', alert: alerts[0]!, limit: 10 }))).toEqual([]);
    expect((await repo.list({ limit: 1 })).length).toBe(1);
  });

  it('refuses what the table does not know, in one statement (nothing of the batch written)', async () => {
    const before = (await repo.list({ limit: 100 })).length;
    await expect(repo.upsert([record(alerts[0]!), { ...record(alerts[0]!), channel: 'fax' as DeliveryRecord['channel'] }])).rejects.toThrow();
    expect((await repo.list({ limit: 100 })).length).toBe(before);
  });

  it('is swept after 90 days with the dead letters', async () => {
    const old = record(alerts[0]!, { createdAt: new Date(Date.now() - 91 * 86_400_000) });
    const kept = record(alerts[0]!, { createdAt: new Date(Date.now() - 89 * 86_400_000) });
    await repo.upsert([old, kept]);
    await new RetentionRepository(db.pool).sweep(30);
    const ids = (await repo.list({ limit: 1000 })).map((r) => r.id);
    expect(ids).toContain(kept.id);
    expect(ids).not.toContain(old.id);
  });
});
