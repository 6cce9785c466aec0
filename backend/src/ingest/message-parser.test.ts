import { describe, expect, it } from 'vitest';
import { metricFor } from '@tidewatch/contracts';
import { jsonNestingDepth, parseDeviceMessage, type ParseContext, type SiteRef } from './message-parser.js';

const NOW = Date.parse('2026-11-28T08:00:00Z');
const sites: Record<string, SiteRef> = {
  'air-a': { key: 1, id: 'air-a', kind: 'air' },
  'port-a': { key: 2, id: 'port-a', kind: 'fishing_port' },
  'pump-a': { key: 3, id: 'pump-a', kind: 'pump_station' },
};
const ctx: ParseContext = { lookupSite: (id) => sites[id], nowMs: NOW, retentionMs: 1825 * 86_400_000 };
const parse = (topic: string, payload: unknown): ReturnType<typeof parseDeviceMessage> =>
  parseDeviceMessage(topic, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), ctx);
const T = 'tidewatch/v1/sites/air-a/telemetry';

describe('telemetry', () => {
  it('stores each value of a single reading with its timestamp', () => {
    const r = parse(T, { ts: '2026-11-28T15:59:00+08:00', values: { pm25: 35.2, pm10: 61 } });
    expect(r.rejections).toEqual([]);
    expect(r.readings).toEqual([
      { siteKey: 1, metricId: metricFor('air', 'pm25')!.id, timeMs: Date.parse('2026-11-28T07:59:00Z'), value: 35.2 },
      { siteKey: 1, metricId: metricFor('air', 'pm10')!.id, timeMs: Date.parse('2026-11-28T07:59:00Z'), value: 61 },
    ]);
  });

  it('takes epoch milliseconds and uses the receive time when ts is absent', () => {
    expect(parse(T, { ts: NOW - 1000, values: { co: 1 } }).readings[0]!.timeMs).toBe(NOW - 1000);
    expect(parse(T, { values: { co: 1 } }).readings[0]!.timeMs).toBe(NOW);
  });

  it('stores every entry of a buffered batch', () => {
    const readings = Array.from({ length: 1000 }, (_, i) => ({ ts: NOW - i * 60_000, values: { pm25: i % 500 } }));
    const r = parse(T, { readings });
    expect(r.readings).toHaveLength(1000);
    expect(r.rejections).toEqual([]);
  });

  it('keeps the period a reading declares, and refuses one that is not a whole number of seconds up to a day', () => {
    const hourly = parse(T, { ts: '2026-11-28T15:00:00+08:00', period_s: 3600, values: { pm25: 35 } });
    expect(hourly.readings).toEqual([{ siteKey: 1, metricId: metricFor('air', 'pm25')!.id, timeMs: Date.parse('2026-11-28T07:00:00Z'), value: 35, periodS: 3600 }]);
    expect(parse(T, { values: { pm25: 35 } }).readings[0]!.periodS).toBeUndefined();
    for (const bad of [0, -300, 1.5, 86_401, '300']) {
      const r = parse(T, { period_s: bad, values: { pm25: 35 } });
      expect(r.readings).toEqual([]);
      expect(r.rejections[0]).toMatchObject({ reason: 'invalid_payload', detail: expect.stringContaining('period_s') });
    }
  });

  it('rejects a batch of more than 1000 entries', () => {
    const readings = Array.from({ length: 1001 }, (_, i) => ({ ts: NOW - i, values: { pm25: 1 } }));
    expect(parse(T, { readings }).rejections.map((x) => x.reason)).toEqual(['too_many_readings']);
  });

  it.each([
    ['unknown metric', { values: { pm1: 3 } }, 'unknown_metric'],
    ['a metric of another kind', { values: { ch4_lel_pct: 3 } }, 'unknown_metric'],
    ['a string value', { values: { pm25: '35' } }, 'wrong_type'],
    ['a null value', { values: { pm25: null } }, 'wrong_type'],
    ['a value below range', { values: { pm25: -1 } }, 'out_of_range'],
    ['a value above range', { values: { pm25: 1500.01 } }, 'out_of_range'],
    ['infinity (1e999)', '{"values":{"pm25":1e999}}', 'nan'],
    ['a timestamp 6 minutes ahead', { ts: NOW + 6 * 60_000, values: { pm25: 1 } }, 'bad_timestamp'],
    ['a timestamp older than retention', { ts: NOW - 1826 * 86_400_000, values: { pm25: 1 } }, 'bad_timestamp'],
    ['a timestamp without offset', { ts: '2026-11-28T08:00:00', values: { pm25: 1 } }, 'invalid_payload'],
    ['an impossible date', { ts: '2026-13-45T08:00:00Z', values: { pm25: 1 } }, 'bad_timestamp'],
    ['empty values', { values: {} }, 'invalid_payload'],
    ['no values at all', { ts: NOW }, 'invalid_payload'],
    ['an array', [1, 2], 'invalid_payload'],
    ['malformed JSON', '{"values": {"pm25": 3', 'malformed_json'],
    ['NaN literal', '{"values":{"pm25":NaN}}', 'malformed_json'],
  ])('rejects %s', (_name, payload, reason) => {
    const r = parse(T, payload);
    expect(r.rejections.map((x) => x.reason)).toEqual([reason]);
    expect(r.readings).toEqual([]);
  });

  it('keeps the valid values of a message and rejects only the bad ones', () => {
    const r = parse(T, { values: { pm25: 30, pm10: -5, so2: 'x', no2: 40 } });
    expect(r.readings.map((x) => x.value)).toEqual([30, 40]);
    expect(r.rejections.map((x) => x.reason).sort()).toEqual(['out_of_range', 'wrong_type']);
  });

  it('rejects fractional counts and flags other than 0/1', () => {
    const topic = 'tidewatch/v1/sites/pump-a/telemetry';
    expect(parse(topic, { values: { pumps_running: 1.5 } }).rejections[0]!.reason).toBe('wrong_type');
    expect(parse(topic, { values: { pump_fault: 0.5 } }).rejections[0]!.reason).toBe('out_of_range');
    expect(parse(topic, { values: { pump_fault: 1, pumps_running: 2 } }).readings).toHaveLength(2);
  });

  it('summarizes many bad values of one reason in one rejection', () => {
    const readings = Array.from({ length: 50 }, (_, i) => ({ ts: NOW - i, values: { pm25: -1 } }));
    const r = parse(T, { readings });
    expect(r.rejections).toHaveLength(1);
    expect(r.rejections[0]!.detail).toMatch(/^50 rejected: .*\(\+45 more\)$/);
  });
});

describe('data flags', () => {
  const id = (name: string): number => metricFor('air', name)!.id;

  it('keeps values flagged other than N apart with their flag; N and unflagged values are readings', () => {
    const r = parse(T, { ts: NOW, values: { pm25: 300, pm10: 61, so2: 8 }, flags: { pm25: 'M', pm10: 'N' } });
    expect(r.rejections).toEqual([]);
    expect(r.readings.map((x) => x.metricId)).toEqual([id('pm10'), id('so2')]);
    expect(r.flagged).toEqual([{ siteKey: 1, metricId: id('pm25'), timeMs: NOW, value: 300, flag: 'M' }]);
  });

  it('takes every HJ 212 flag in a batch, and a message without flags is as before', () => {
    const letters = ['F', 'M', 'S', 'D', 'C', 'T', 'B'];
    const r = parse(T, { readings: letters.map((flag, i) => ({ ts: NOW - i * 60_000, values: { co: 1 }, flags: { co: flag } })) });
    expect(r.flagged.map((x) => x.flag)).toEqual(letters);
    expect(r.readings).toEqual([]);
    expect(parse(T, { ts: NOW, values: { co: 1 } })).toMatchObject({ flagged: [], rejections: [], readings: [{ value: 1 }] });
  });

  it.each([
    ['an unknown letter', { pm25: 'X' }, /flags\.pm25="X" is not a data flag/],
    ['a lower-case letter', { pm25: 'm' }, /not a data flag/],
    ['a number', { pm25: 1 }, /not a data flag/],
  ])('rejects the value with %s as bad_flag and stores the others', (_name, flags, detail) => {
    const r = parse(T, { ts: NOW, values: { pm25: 30, pm10: 40 }, flags });
    expect(r.rejections).toEqual([{ reason: 'bad_flag', detail: expect.stringMatching(detail) }]);
    expect(r.readings.map((x) => x.metricId)).toEqual([id('pm10')]);
    expect(r.flagged).toEqual([]);
  });

  it('rejects a flag for a metric the reading has no value of, storing the values', () => {
    const r = parse(T, { ts: NOW, values: { pm25: 30 }, flags: { pm10: 'M' } });
    expect(r.rejections).toEqual([{ reason: 'bad_flag', detail: '1 rejected: flags.pm10 names no value of the reading' }]);
    expect(r.readings).toHaveLength(1);
  });

  it('rejects the values of a reading whose flags is not an object (which it meant cannot be told), other entries stored', () => {
    for (const flags of ['M', ['M'], null, 3]) {
      const r = parse(T, { readings: [{ ts: NOW, values: { pm25: 30, pm10: 40 }, flags }, { ts: NOW - 60_000, values: { pm25: 31 } }] });
      expect(r.rejections).toEqual([{ reason: 'bad_flag', detail: expect.stringMatching(/^1 rejected: readings\[0\]: flags must be an object.*; 2 values not stored$/) }]);
      expect(r.readings.map((x) => x.value)).toEqual([31]);
    }
  });

  it('keeps a flagged value out of the catalogue range (an over-range or fault value says so itself), but only a number', () => {
    const r = parse(T, { ts: NOW, values: { pm25: 5000, pm10: -3 }, flags: { pm25: 'T', pm10: 'D' } });
    expect(r.rejections).toEqual([]);
    expect(r.flagged.map((f) => [f.value, f.flag])).toEqual([
      [5000, 'T'],
      [-3, 'D'],
    ]);
    expect(r.readings).toEqual([]);
    const text = parse(T, { ts: NOW, values: { pm25: 'high' }, flags: { pm25: 'T' } });
    expect(text.rejections.map((x) => x.reason)).toEqual(['wrong_type']);
    expect(text.flagged).toEqual([]);
    // Unflagged, the same value is refused.
    expect(parse(T, { ts: NOW, values: { pm25: 5000 } }).rejections.map((x) => x.reason)).toEqual(['out_of_range']);
  });
});

describe('topics, sites and size', () => {
  it.each([
    ['tidewatch/v1/sites/air-a/foo', 'bad_topic'],
    ['tidewatch/v1/sites/Air_A/telemetry', 'bad_topic'],
    ['tidewatch/v2/sites/air-a/telemetry', 'bad_topic'],
    ['tidewatch/v1/sites/air-a/telemetry/extra', 'bad_topic'],
    ['tidewatch/v1/sites/air-zz/telemetry', 'unknown_site'],
  ])('%s → %s', (topic, reason) => {
    expect(parse(topic, { values: { pm25: 1 } }).rejections.map((x) => x.reason)).toEqual([reason]);
  });

  it('rejects a payload over 64 KiB before parsing it', () => {
    const big = JSON.stringify({ values: { pm25: 1 }, pad: 'x'.repeat(64 * 1024) });
    expect(parse(T, big).rejections.map((x) => x.reason)).toEqual(['oversized']);
  });
});

describe('status', () => {
  const S = 'tidewatch/v1/sites/air-a/status';
  it('sets the site online or offline at the receive time', () => {
    expect(parse(S, 'online').status).toEqual({ siteKey: 1, online: true, atMs: NOW });
    expect(parse(S, 'offline').status).toEqual({ siteKey: 1, online: false, atMs: NOW });
  });
  it('rejects anything else', () => {
    expect(parse(S, 'ONLINE?').rejections.map((x) => x.reason)).toEqual(['bad_status']);
  });
});

describe('events', () => {
  const E = 'tidewatch/v1/sites/port-a/events';
  it('stores a valid inspection with defaults filled', () => {
    const r = parse(E, { ts: NOW, type: 'inspection', data: { vessel: '辽大甘渔12345', result: 'fail', hazards: ['lifejackets'] } });
    expect(r.rejections).toEqual([]);
    expect(r.events).toEqual([{ siteKey: 2, timeMs: NOW, type: 'inspection', data: { vessel: '辽大甘渔12345', result: 'fail', hazards: ['lifejackets'] } }]);
    expect(parse(E, { type: 'departure', data: { vessel: 'v1' } }).events[0]!.timeMs).toBe(NOW);
  });
  it.each([
    ['an unknown type', { type: 'party', data: {} }, 'unknown_event_type'],
    ['a bad inspection result', { type: 'inspection', data: { vessel: 'v', result: 'maybe' } }, 'invalid_event'],
    ['a rectification without vessel or ref', { type: 'rectified', data: { hazard: 'ais' } }, 'invalid_event'],
    ['a pump event from a port', { type: 'pump_fault', data: { pump: 1 } }, 'invalid_event'],
    ['a NUL character', { type: 'departure', data: { vessel: 'a\u0000b' } }, 'invalid_event'],
    ['a future time', { ts: NOW + 3_600_000, type: 'arrival', data: { vessel: 'v' } }, 'bad_timestamp'],
  ])('rejects %s', (_n, payload, reason) => {
    expect(parse(E, payload).rejections.map((x) => x.reason)).toEqual([reason]);
  });
});

describe('hostile device messages', () => {
  const send = (payload: unknown): ReturnType<typeof parseDeviceMessage> => parse(T, payload);

  it.each([
    ['a date that does not exist', '2026-02-30T08:00:00Z'],
    ['hour 24', '2026-11-28T24:00:00Z'],
    ['an offset beyond ±14 h', '2026-11-28T08:00:00+15:00'],
  ])('refuses %s instead of rolling it over', (_name, ts) => {
    const r = send({ ts, values: { pm25: 10 } });
    expect(r.readings).toHaveLength(0);
    expect(r.rejections.map((x) => x.reason)).toEqual(['bad_timestamp']);
  });

  it('refuses epoch milliseconds past the year 9999 as a bad timestamp (no exception)', () => {
    const r = send({ ts: 9e15, values: { pm25: 10 } });
    expect(r.rejections).toEqual([{ reason: 'bad_timestamp', detail: expect.stringContaining('not a real time') }]);
  });

  it('refuses JSON nested thousands of levels deep before parsing it', () => {
    const deep = `{"values":{"pm25":${'['.repeat(30_000)}1${']'.repeat(30_000)}}}`;
    const r = send(deep);
    expect(r.rejections[0]?.reason).toBe('malformed_json');
    expect(r.rejections[0]?.detail).toContain('at most 16');
  });

  it('counts depth outside strings only', () => {
    expect(jsonNestingDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonNestingDepth('{"a":"\\"[[["}')).toBe(1);
    expect(jsonNestingDepth('[[[]]]')).toBe(3);
  });

  it('keeps the valid values of a message whose other metric name holds a NUL', () => {
    const r = send({ values: { pm25: 12, ['pm\u000010']: 3 } });
    expect(r.readings).toHaveLength(1);
    expect(r.rejections.map((x) => x.reason)).toEqual(['unknown_metric']);
  });
});
