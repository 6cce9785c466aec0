import { MAX_PAYLOAD_BYTES, siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { api, login, waitFor, withDb } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

const ctx = useHub();

const now = (): number => Date.now();

/**
 * Every kind of bad input in docs/contract.md §2.6, with the reason it must be filed under. (A payload
 * just over the limit reaches ingest; a much larger packet is refused by the broker itself.)
 */
const BAD: { name: string; topic: string; payload: string | Buffer; reason: string }[] = [
  { name: 'unknown site', topic: siteTopic('air-nowhere', 'telemetry'), payload: JSON.stringify({ values: { pm25: 1 } }), reason: 'unknown_site' },
  { name: 'unknown metric', topic: siteTopic('air-hekou', 'telemetry'), payload: JSON.stringify({ values: { radon: 1 } }), reason: 'unknown_metric' },
  { name: 'malformed JSON', topic: siteTopic('air-hekou', 'telemetry'), payload: '{"values": {', reason: 'malformed_json' },
  { name: 'wrong type', topic: siteTopic('air-hekou', 'telemetry'), payload: JSON.stringify({ values: { pm25: 'high' } }), reason: 'wrong_type' },
  { name: 'out of range', topic: siteTopic('air-hekou', 'telemetry'), payload: JSON.stringify({ values: { humidity_pct: 130 } }), reason: 'out_of_range' },
  { name: 'NaN (overflowing number)', topic: siteTopic('air-hekou', 'telemetry'), payload: '{"values":{"pm25":1e400}}', reason: 'nan' },
  { name: 'future timestamp', topic: siteTopic('air-hekou', 'telemetry'), payload: JSON.stringify({ ts: now() + 3_600_000, values: { pm25: 1 } }), reason: 'bad_timestamp' },
  { name: 'unparseable timestamp', topic: siteTopic('air-hekou', 'telemetry'), payload: JSON.stringify({ ts: 'yesterday', values: { pm25: 1 } }), reason: 'invalid_payload' },
  { name: 'oversized payload', topic: siteTopic('air-hekou', 'telemetry'), payload: Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), reason: 'oversized' },
  { name: 'bad topic', topic: 'tidewatch/v1/sites/air-hekou/commands', payload: '{}', reason: 'bad_topic' },
  { name: 'too many readings', topic: siteTopic('air-hekou', 'telemetry'), payload: JSON.stringify({ readings: Array.from({ length: 1001 }, () => ({ values: { co: 1 } })) }), reason: 'too_many_readings' },
  { name: 'bad status', topic: siteTopic('air-hekou', 'status'), payload: 'sleepy', reason: 'bad_status' },
  { name: 'unknown event type', topic: siteTopic('port-hekou', 'events'), payload: JSON.stringify({ type: 'party', data: {} }), reason: 'unknown_event_type' },
  { name: 'invalid event data', topic: siteTopic('port-hekou', 'events'), payload: JSON.stringify({ type: 'inspection', data: { result: 'fail' } }), reason: 'invalid_event' },
];

describe('bad input', () => {
  it('lands every kind of bad input in dead letters while valid input keeps flowing', async () => {
    const pub = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `rejects-${Date.now()}` });
    const base = now() - 600_000;
    const sends: Promise<unknown>[] = [];
    // Interleave: a valid reading, then a bad message, and so on.
    BAD.forEach((bad, i) => {
      sends.push(pub.publishAsync(siteTopic('gas-hekou-riser', 'telemetry'), JSON.stringify({ ts: base + i * 1000, values: { ch4_lel_pct: 0.1, pressure_kpa: 3 } }), { qos: 1 }));
      sends.push(pub.publishAsync(bad.topic, bad.payload, { qos: 1 }));
    });
    sends.push(pub.publishAsync(siteTopic('port-hekou', 'events'), JSON.stringify({ ts: base, type: 'departure', data: { vessel: '辽大甘渔00001' } }), { qos: 1 }));
    await Promise.all(sends);
    await pub.endAsync();

    const token = await login(ctx.t);
    let letters: { reason: string; topic: string; payload: string; detail: string }[] = [];
    await waitFor(async () => {
      letters = (await api<typeof letters>(ctx.t, token, '/api/dead-letters?limit=100')).body;
      return letters.length >= BAD.length;
    }, 30_000, 'dead letters');
    expect(letters.map((l) => l.reason).sort()).toEqual(BAD.map((b) => b.reason).sort());
    const oversized = letters.find((l) => l.reason === 'oversized')!;
    expect(oversized.payload.length).toBeLessThanOrEqual(4096); // a bounded copy
    expect(letters.find((l) => l.reason === 'unknown_metric')!.detail).toContain('radon');

    // Every valid reading and the valid event were stored (an external broker acknowledges before the hub stores).
    await waitFor(
      () => withDb(ctx.t, async (c) => (await c.query<{ n: number }>(`SELECT ((SELECT count(*) FROM reading) + (SELECT count(*) FROM event))::int AS n`)).rows[0]!.n >= BAD.length * 2 + 1),
      30_000,
      'valid readings and event',
    );
    await withDb(ctx.t, async (c) => {
      const r = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = 'gas-hekou-riser'`);
      expect(r.rows[0]!.n).toBe(BAD.length * 2);
      const e = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM event`);
      expect(e.rows[0]!.n).toBe(1);
    });
    const metrics = await (await fetch(`${ctx.t.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^tidewatch_ingest_rejected_total\{reason="oversized"\} 1$/m);
    expect(metrics).toMatch(/^tidewatch_ingest_rejected_total\{reason="unknown_site"\} 1$/m);

    const events = await api<{ type: string; data: { vessel: string } }[]>(ctx.t, token, '/api/sites/port-hekou/events');
    expect(events.body).toEqual([expect.objectContaining({ type: 'departure', data: { vessel: '辽大甘渔00001' } })]);
  });
});
