import { describe, expect, it } from 'vitest';
import type { BatchResult } from '../ingest/batch.repository.js';
import { decodeCommitted, encodeCommitted } from './committed-codec.js';

const batch: BatchResult = {
  inserted: 3,
  duplicates: 1,
  eventsInserted: 1,
  deadLetters: 2,
  latest: [{ siteKey: 4, metricId: 7, timeMs: 1_780_000_060_000, value: 12.5 }],
  flaggedInserted: 1,
  flaggedLatest: [{ siteKey: 4, metricId: 9, timeMs: 1_780_000_060_000, value: -3, flag: 'D' }],
  events: [{ siteKey: 5, timeMs: 1_780_000_000_000, type: 'gas_alarm', data: { level: 2, note: '二级' } }],
  stored: [
    { siteKey: 4, metricId: 7, timeMs: 1_780_000_000_000, value: 0.1 + 0.2 },
    { siteKey: 4, metricId: 7, timeMs: 1_780_000_060_000, value: 12.5 },
    { siteKey: 6, metricId: 1, timeMs: 1_780_000_060_000, value: 1e-9 },
  ],
  sites: [
    { siteKey: 4, lastSeenMs: 1_780_000_060_000, online: true, statusAtMs: null },
    { siteKey: 6, lastSeenMs: null, online: false, statusAtMs: 1_780_000_000_000 },
  ],
};

describe('a committed batch between hubs', () => {
  it('keeps every reading, event, newest value and liveness exactly (values to the last bit)', () => {
    const back = decodeCommitted(encodeCommitted(batch));
    expect(back.stored).toEqual(batch.stored.map((r) => ({ siteKey: r.siteKey, metricId: r.metricId, timeMs: r.timeMs, value: r.value })));
    expect(back.stored[0]!.value).toBe(0.30000000000000004);
    expect(back.latest).toEqual(batch.latest);
    expect(back.flaggedLatest).toEqual(batch.flaggedLatest);
    expect(back.events).toEqual(batch.events);
    expect(back.sites).toEqual(batch.sites);
    expect(back.inserted).toBe(3);
  });

  it('drops what only the storing hub counts (duplicates, dead letters)', () => {
    const back = decodeCommitted(encodeCommitted(batch));
    expect(back.duplicates).toBe(0);
    expect(back.deadLetters).toBe(0);
  });

  it('an empty batch stays empty', () => {
    const empty: BatchResult = { ...batch, latest: [], flaggedLatest: [], events: [], stored: [], sites: [] };
    const back = decodeCommitted(encodeCommitted(empty));
    expect([back.stored, back.latest, back.events, back.sites, back.flaggedLatest]).toEqual([[], [], [], [], []]);
  });

  it('refuses what is not a committed batch', () => {
    expect(() => decodeCommitted('not json')).toThrow();
    expect(() => decodeCommitted(JSON.stringify({ r: [1, 2, 3], l: [], s: [], f: [], e: [] }))).toThrow(/fours/);
    expect(() => decodeCommitted(JSON.stringify({ r: ['1', 2, 3, 4], l: [], s: [], f: [], e: [] }))).toThrow(/numbers/);
    expect(() => decodeCommitted(JSON.stringify({ r: [], l: [], s: [] }))).toThrow(/lists/);
  });
});
