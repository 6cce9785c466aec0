import { describe, expect, it } from 'vitest';
import { District } from './district.js';
import { FaultInjector, type Outgoing } from './faults.js';
import { outgoingFor } from './fleet.js';
import { Random } from './random.js';
import { DAY, SITES, WINTER } from './test-helpers.js';

describe('sensor faults', () => {
  it('produce dropouts, stuck values, spikes, out-of-range values, malformed payloads, duplicates and late batches', () => {
    const district = new District(SITES, 3, WINTER, 'sensor-faults');
    const faults = new FaultInjector(new Random(11));
    const out: Outgoing[] = [];
    let reports = 0;
    for (let t = WINTER; t < WINTER + DAY; ) {
      t += 3_600_000;
      for (const r of district.advance(t).reports) {
        reports++;
        out.push(...faults.transform(r));
      }
    }
    const count = (f: Outgoing['fault']): number => out.filter((o) => o.fault === f).length;
    for (const f of ['malformed', 'out_of_range', 'duplicate', 'late_batch', 'spike', 'stuck'] as const) expect(count(f), f).toBeGreaterThan(0);
    // Dropouts: fewer messages than reports, even counting duplicates.
    expect(out.length - count('duplicate')).toBeLessThan(reports);
    for (const o of out.filter((x) => x.fault === 'malformed')) expect(() => JSON.parse(o.payload)).toThrow();
    for (const o of out.filter((x) => x.fault === 'late_batch')) {
      const batch = JSON.parse(o.payload) as { readings: unknown[] };
      expect(batch.readings.length).toBeGreaterThan(1);
    }
    // Most messages are still good.
    expect(out.filter((o) => o.fault === undefined).length / out.length).toBeGreaterThan(0.8);
  });

  it('only change the normal scenario when asked to', () => {
    const district = new District(SITES, 3, WINTER, 'normal');
    const { reports } = district.advance(WINTER + 3_600_000);
    for (const r of reports) expect(outgoingFor(r, null)).toEqual([{ payload: JSON.stringify({ ts: r.ts, values: r.values }), reading: { ts: r.ts, values: r.values } }]);
  });
});
