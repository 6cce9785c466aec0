import { describe, expect, it } from 'vitest';
import { TARGETS } from './scenarios.js';
import { DAY, HOUR, SITES, SUMMER, WINTER, mean, series, simulate } from './test-helpers.js';

const MIN = 60_000;
const SECOND = 1000;

/** Hourly means of a series. */
function hourly(pts: { ts: number; v: number }[]): number[] {
  const by = new Map<number, number[]>();
  for (const p of pts) {
    const h = Math.floor(p.ts / HOUR);
    by.set(h, [...(by.get(h) ?? []), p.v]);
  }
  return [...by.values()].map(mean);
}

describe('scenarios', () => {
  it('normal: an hour raises nothing critical anywhere (a winter and a summer hour)', () => {
    for (const start of [WINTER + 7 * HOUR, SUMMER + 15 * HOUR]) {
      const run = simulate(start, HOUR, { stepMs: MIN });
      for (const r of run.reports) {
        const v = r.values;
        if (r.site.kind === 'gas_point') expect(v.ch4_lel_pct!).toBeLessThan(20);
        if (r.site.kind === 'pump_station') {
          expect(v.wet_well_level_m!).toBeLessThan(Number(r.site.params!.overflow_level_m));
          expect(v.pump_fault).toBe(0);
        }
        if (r.site.kind === 'fishing_port') expect(v.wind_level!).toBeLessThan(8);
        if (r.site.kind === 'ebike_charging') expect(v.smoke).toBe(0);
        if (r.site.kind === 'air') expect(v.pm25!).toBeLessThan(150);
      }
      expect(run.events.filter((e) => e.event.type === 'gas_alarm' || e.event.type === 'pump_fault')).toEqual([]);
    }
  });

  it('pollution-episode: PM2.5 builds up over days to heavy pollution', () => {
    const run = simulate(WINTER, 4 * DAY, { scenario: 'pollution-episode' });
    const base = simulate(WINTER, 4 * DAY);
    const day = (r: typeof run, d: number): number => mean(series(r, 'air-hekou', 'pm25').filter((p) => p.ts >= WINTER + d * DAY && p.ts < WINTER + (d + 1) * DAY).map((p) => p.v));
    expect(day(run, 3)).toBeGreaterThan(day(run, 0) * 1.8);
    expect(day(run, 3)).toBeGreaterThan(150); // daily mean above 150 µg/m³: heavily polluted (HJ 633)
    expect(day(base, 3)).toBeLessThan(115);
  });

  it('heavy-rain: pump stations climb to near overflow', () => {
    const run = simulate(SUMMER, 6 * HOUR, { scenario: 'heavy-rain', stepMs: 10 * MIN });
    const nearOverflow = SITES.filter((s) => s.kind === 'pump_station' && !s.params!.reclaimed_water).filter((s) => {
      const max = Math.max(...series(run, s.id, 'wet_well_level_m').map((p) => p.v));
      return max >= Number(s.params!.high_level_m) && max >= 0.9 * Number(s.params!.overflow_level_m);
    });
    expect(nearOverflow.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...series(run, 'pump-caidaling', 'inflow_m3h').map((p) => p.v))).toBeGreaterThan(3 * 450);
  });

  it('pump-failure: the station reports the fault and its level climbs past the high level', () => {
    const run = simulate(WINTER, 2 * HOUR, { scenario: 'pump-failure', stepMs: MIN });
    const faults = run.events.filter((e) => e.site.id === TARGETS.pumpFailure && e.event.type === 'pump_fault');
    expect(faults.map((e) => e.event.data.pump)).toEqual([1, 2]);
    const after = run.reports.filter((r) => r.site.id === TARGETS.pumpFailure && r.ts > WINTER + 2 * MIN);
    expect(after.every((r) => r.values.pump_fault === 1 && r.values.pumps_running === 0)).toBe(true);
    const site = SITES.find((s) => s.id === TARGETS.pumpFailure)!;
    expect(Math.max(...after.map((r) => r.values.wet_well_level_m!))).toBeGreaterThan(Number(site.params!.high_level_m));
  });

  it('effluent-exceedance: hourly means go over GB 18918 1A', () => {
    const run = simulate(SUMMER, 2 * HOUR, { scenario: 'effluent-exceedance', stepMs: MIN });
    const cod = hourly(series(run, 'wwtp-hekou', 'cod_mgl'));
    const nh3n = hourly(series(run, 'wwtp-hekou', 'nh3n_mgl'));
    expect(cod.at(-1)!).toBeGreaterThan(50);
    expect(nh3n.at(-1)!).toBeGreaterThan(5);
  });

  it('gas-leak: LEL at the riser crosses 20 and 50 %LEL within a minute, with device alarms', () => {
    const run = simulate(WINTER + 10 * HOUR, 2 * MIN, { scenario: 'gas-leak', stepMs: SECOND * 5 });
    const lel = series(run, TARGETS.gasLeak, 'ch4_lel_pct').filter((p) => p.ts <= WINTER + 10 * HOUR + MIN);
    expect(lel.some((p) => p.v >= 20)).toBe(true);
    expect(lel.some((p) => p.v >= 50)).toBe(true);
    expect(run.events.filter((e) => e.event.type === 'gas_alarm').map((e) => e.event.data.level)).toEqual([1, 2]);
    // Other points stay quiet.
    expect(run.reports.filter((r) => r.site.kind === 'gas_point' && r.site.id !== TARGETS.gasLeak).every((r) => r.values.ch4_lel_pct! < 2)).toBe(true);
  });

  it('gale: force 8 while small vessels are still at sea', () => {
    const run = simulate(WINTER + 10 * HOUR, HOUR, { scenario: 'gale', stepMs: MIN });
    const gale = run.reports.filter((r) => r.site.kind === 'fishing_port' && r.values.wind_level! >= 8 && r.values.vessels_at_sea! > 0);
    expect(gale.length).toBeGreaterThan(0);
    expect(run.events.some((e) => e.event.type === 'arrival')).toBe(true);
  });

  it('is reproducible with a seed and differs between seeds', () => {
    const a = simulate(WINTER, 6 * HOUR, { seed: 9 });
    const b = simulate(WINTER, 6 * HOUR, { seed: 9 });
    const c = simulate(WINTER, 6 * HOUR, { seed: 10 });
    expect(JSON.stringify(a.reports)).toBe(JSON.stringify(b.reports));
    expect(JSON.stringify(a.events)).toBe(JSON.stringify(b.events));
    expect(JSON.stringify(a.reports)).not.toBe(JSON.stringify(c.reports));
  });
});
