import { checkMetricValue, metricFor, metricsOfKind } from '@tidewatch/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR, SITES, SUMMER, WINTER, hourOf, mean, pearson, series, simulate, type Run } from './test-helpers.js';

let winter: Run;
let summer: Run;
// Two weeks of every site's reports: about 3 s on an idle core, several times that on a busy machine.
beforeAll(() => {
  winter = simulate(WINTER, 7 * DAY);
  summer = simulate(SUMMER, 7 * DAY);
}, 60_000);

const byHour = (pts: { ts: number; v: number }[], hours: number[]): number => mean(pts.filter((p) => hours.includes(hourOf(p.ts))).map((p) => p.v));

describe('every model, a week in winter and in summer', () => {
  it('reports every metric of its kind, always inside the accepted range, at its nominal cadence', () => {
    for (const run of [winter, summer]) {
      const problems: string[] = [];
      for (const r of run.reports) {
        const names = metricsOfKind(r.site.kind).map((m) => m.name);
        if (Object.keys(r.values).length !== names.length) problems.push(`${r.site.id}: ${Object.keys(r.values).join(',')}`);
        for (const [name, v] of Object.entries(r.values)) {
          const def = metricFor(r.site.kind, name);
          if (!def || checkMetricValue(def, v) !== null) problems.push(`${r.site.id} ${name}=${v}`);
        }
      }
      expect(problems.slice(0, 5)).toEqual([]);
      const air = run.reports.filter((r) => r.site.id === 'air-hekou');
      expect(air.length).toBeGreaterThanOrEqual(7 * 24 * 60 - 1);
      expect(run.reports.filter((r) => r.site.id === 'sea-hekou').length).toBeGreaterThanOrEqual(7 * 24 * 12 - 1);
    }
  });
});

describe('air', () => {
  it('NO2 and CO peak with the morning and evening traffic', () => {
    const no2 = series(winter, 'air-qixianling', 'no2');
    expect(byHour(no2, [8, 18])).toBeGreaterThan(1.4 * byHour(no2, [2, 3, 4]));
    const co = series(winter, 'air-qixianling', 'co');
    expect(byHour(co, [8, 18])).toBeGreaterThan(byHour(co, [13, 14]));
  });

  it('O3 peaks in the afternoon sun, and in summer', () => {
    const o3 = series(summer, 'air-lingshui', 'o3');
    expect(byHour(o3, [14, 15])).toBeGreaterThan(2 * byHour(o3, [2, 3, 4]));
    expect(mean(o3.map((p) => p.v))).toBeGreaterThan(mean(series(winter, 'air-lingshui', 'o3').map((p) => p.v)));
  });

  it('PM rises under night inversions and falls with wind; winter heating raises PM and SO2', () => {
    const pm = series(winter, 'air-hekou', 'pm25');
    expect(byHour(pm, [1, 2, 3, 4])).toBeGreaterThan(byHour(pm, [13, 14, 15]));
    const wind = series(winter, 'air-hekou', 'wind_speed_ms').map((p) => p.v);
    expect(pearson(pm.map((p) => p.v), wind)).toBeLessThan(-0.2);
    expect(mean(pm.map((p) => p.v))).toBeGreaterThan(mean(series(summer, 'air-hekou', 'pm25').map((p) => p.v)));
    expect(mean(series(winter, 'air-hekou', 'so2').map((p) => p.v))).toBeGreaterThan(1.8 * mean(series(summer, 'air-hekou', 'so2').map((p) => p.v)));
  });

  it('stations near each other move together', () => {
    const a = series(winter, 'air-lingshui', 'pm25').map((p) => p.v);
    const b = series(winter, 'air-qixianling', 'pm25').map((p) => p.v);
    const n = Math.min(a.length, b.length);
    expect(pearson(a.slice(0, n), b.slice(0, n))).toBeGreaterThan(0.7);
  });

  it('PM10 stays above PM2.5', () => {
    for (const r of winter.reports.filter((x) => x.site.kind === 'air')) expect(r.values.pm10!).toBeGreaterThan(r.values.pm25!);
  });
});

describe('pump stations', () => {
  const stations = SITES.filter((s) => s.kind === 'pump_station');

  it('keep the wet well below overflow in normal weather (above the high level < 1 % of the time), cycling their pumps', () => {
    for (const run of [winter, summer]) {
      for (const s of stations) {
        const level = series(run, s.id, 'wet_well_level_m').map((p) => p.v);
        expect(Math.max(...level), s.id).toBeLessThan(Number(s.params!.overflow_level_m));
        expect(level.filter((v) => v >= Number(s.params!.high_level_m)).length / level.length, s.id).toBeLessThan(0.01);
        const running = series(run, s.id, 'pumps_running').map((p) => p.v);
        const starts = running.filter((v, i) => i > 0 && v > running[i - 1]!).length;
        expect(starts, `${s.id} pump starts`).toBeGreaterThan(20);
      }
    }
  });

  it('pump what flows in (mass balance over a week within 3 %)', () => {
    const s = 'pump-lingshuiwan-1';
    const inflow = mean(series(summer, s, 'inflow_m3h').map((p) => p.v));
    const outflow = mean(series(summer, s, 'outflow_m3h').map((p) => p.v));
    expect(Math.abs(outflow - inflow) / inflow).toBeLessThan(0.03);
  });

  it('see morning and evening inflow peaks; power follows the running pumps', () => {
    const inflow = series(winter, 'pump-caidaling', 'inflow_m3h');
    expect(byHour(inflow, [8, 9])).toBeGreaterThan(1.3 * byHour(inflow, [3, 4]));
    expect(byHour(inflow, [20])).toBeGreaterThan(1.3 * byHour(inflow, [3, 4]));
    for (const r of winter.reports.filter((x) => x.site.id === 'pump-caidaling')) {
      if (r.values.pumps_running === 0) expect(r.values.power_kw!).toBeLessThan(5);
      else expect(r.values.power_kw!).toBeGreaterThan(20);
    }
  });

  it('the reclaimed-water station follows daytime demand', () => {
    const out = series(summer, 'pump-lingshuihe-reclaimed', 'outflow_m3h');
    expect(byHour(out, [12, 13, 14])).toBeGreaterThan(1.8 * byHour(out, [2, 3, 4]));
  });
});

describe('water', () => {
  it('the plant stays well inside GB 18918 1A (daily means), with more ammonia in cold water', () => {
    for (const run of [winter, summer]) {
      for (let d = 0; d < 7; d++) {
        const day = run.reports.filter((r) => r.site.id === 'wwtp-hekou' && r.ts >= run.reports[0]!.ts + d * DAY && r.ts < run.reports[0]!.ts + (d + 1) * DAY);
        const m = (k: string): number => mean(day.map((r) => r.values[k]!));
        expect(m('cod_mgl')).toBeLessThan(40);
        expect(m('nh3n_mgl')).toBeLessThan(m('water_temp_c') <= 12 ? 8 * 0.6 : 5 * 0.6);
        expect(m('tn_mgl')).toBeLessThan(15);
        expect(m('tp_mgl')).toBeLessThan(0.5);
        expect(m('ss_mgl')).toBeLessThan(10);
        expect(m('ph')).toBeGreaterThan(6);
        expect(m('ph')).toBeLessThan(9);
      }
    }
    expect(mean(series(winter, 'wwtp-hekou', 'nh3n_mgl').map((p) => p.v))).toBeGreaterThan(2 * mean(series(summer, 'wwtp-hekou', 'nh3n_mgl').map((p) => p.v)));
  });

  it('sea buoys stay class I–II (GB 3097) and move with the tide', () => {
    for (const run of [winter, summer]) {
      for (const r of run.reports.filter((x) => x.site.kind === 'seawater')) {
        const v = r.values;
        expect(v.ph!).toBeGreaterThanOrEqual(7.8);
        expect(v.ph!).toBeLessThanOrEqual(8.5);
        expect(v.do_mgl!).toBeGreaterThan(5);
        expect(v.cod_mgl!).toBeLessThanOrEqual(3);
        expect(v.din_mgl!).toBeLessThanOrEqual(0.3);
        expect(v.dip_mgl!).toBeLessThanOrEqual(0.03);
        expect(v.oil_mgl!).toBeLessThanOrEqual(0.05);
      }
    }
    const sal = series(summer, 'sea-lingshuiwan', 'salinity_psu').map((p) => p.v);
    expect(Math.max(...sal) - Math.min(...sal)).toBeGreaterThan(0.5);
  });

  it('the river mouth is worse than upstream; dissolved oxygen is higher in cold water', () => {
    const up = mean(series(summer, 'river-lingshuihe-upper', 'nh3n_mgl').map((p) => p.v));
    const mouth = mean(series(summer, 'river-lingshuihe-mouth', 'nh3n_mgl').map((p) => p.v));
    expect(mouth).toBeGreaterThan(1.2 * up);
    expect(mean(series(winter, 'river-lingshuihe-upper', 'do_mgl').map((p) => p.v))).toBeGreaterThan(mean(series(summer, 'river-lingshuihe-upper', 'do_mgl').map((p) => p.v)));
  });
});

describe('gas points and e-bike sheds', () => {
  it('keep pressure inside the band, LEL near zero and household CO near zero', () => {
    for (const s of SITES.filter((x) => x.kind === 'gas_point')) {
      const [lo, hi] = s.params!.pressure_band_kpa as [number, number];
      for (const r of winter.reports.filter((x) => x.site.id === s.id)) {
        expect(r.values.pressure_kpa!).toBeGreaterThan(lo);
        expect(r.values.pressure_kpa!).toBeLessThan(hi);
        expect(r.values.ch4_lel_pct!).toBeLessThan(2);
        expect(r.values.co_ppm!).toBeLessThan(20);
      }
    }
  });

  it('charge in the evening, and the shed warms with the current', () => {
    const cur = series(winter, 'ebike-lingshui', 'current_a');
    expect(byHour(cur, [21, 22])).toBeGreaterThan(3 * byHour(cur, [9, 10]));
    // The evening air is cooler than the morning's, yet the shed is warmer while charging.
    const temp = series(winter, 'ebike-lingshui', 'temp_c');
    const air = series(winter, 'air-lingshui', 'temp_c');
    expect(byHour(air, [21, 22])).toBeLessThan(byHour(air, [9, 10]));
    expect(byHour(temp, [21, 22])).toBeGreaterThan(byHour(temp, [9, 10]) + 1.5);
  });
});

describe('fishing ports', () => {
  const ports = SITES.filter((s) => s.kind === 'fishing_port');

  it('conserve vessels: in port + at sea = registered, always', () => {
    for (const run of [winter, summer]) {
      for (const p of ports) {
        for (const r of run.reports.filter((x) => x.site.id === p.id)) {
          expect(r.values.vessels_in_port! + r.values.vessels_at_sea!).toBe(Number(p.params!.registered_vessels));
        }
      }
    }
  });

  it('vessels leave in the morning and return in the afternoon; every departure has its arrival', () => {
    const ev = winter.events.filter((e) => e.site.id === 'port-longwangtang');
    const departures = ev.filter((e) => e.event.type === 'departure');
    const arrivals = ev.filter((e) => e.event.type === 'arrival');
    expect(departures.length).toBeGreaterThan(50);
    expect(departures.every((e) => hourOf(e.event.ts) >= 4 && hourOf(e.event.ts) < 9)).toBe(true);
    expect(mean(arrivals.map((e) => hourOf(e.event.ts)))).toBeGreaterThan(12);
    const out = new Set<string>();
    for (const e of ev) {
      const vessel = e.event.data.vessel as string;
      if (e.event.type === 'departure') {
        expect(out.has(vessel)).toBe(false);
        out.add(vessel);
      } else if (e.event.type === 'arrival') {
        expect(out.delete(vessel)).toBe(true);
      }
    }
  });

  it('fewer vessels go out in strong wind and during the summer moratorium', () => {
    const windy = simulate(WINTER, 3 * DAY, { seed: 42, scenario: 'gale' });
    const calm = simulate(WINTER, 3 * DAY, { seed: 42 });
    const count = (r: Run): number => r.events.filter((e) => e.event.type === 'departure').length;
    expect(count(windy)).toBeLessThan(count(calm));
    expect(summer.events.filter((e) => e.event.type === 'departure').length).toBeLessThan(0.4 * winter.events.filter((e) => e.event.type === 'departure').length);
  });

  it('inspect in working hours on weekdays; failures open hazards rectified days later', () => {
    const run = simulate(WINTER, 14 * DAY, { seed: 5 });
    const inspections = run.events.filter((e) => e.event.type === 'inspection');
    expect(inspections.length).toBeGreaterThan(100);
    for (const e of inspections) {
      const h = hourOf(e.event.ts);
      const day = new Date(e.event.ts + 8 * HOUR).getUTCDay();
      expect(day >= 1 && day <= 5).toBe(true);
      expect((h >= 8 && h < 12) || (h >= 13 && h < 17)).toBe(true);
    }
    const failed = inspections.filter((e) => e.event.data.result === 'fail');
    expect(failed.length / inspections.length).toBeGreaterThan(0.05);
    expect(failed.length / inspections.length).toBeLessThan(0.3);
    expect(failed.every((e) => (e.event.data.hazards as string[]).length > 0)).toBe(true);
    const rectified = run.events.filter((e) => e.event.type === 'rectified');
    expect(rectified.length).toBeGreaterThan(0);
    for (const fix of rectified) {
      const origin = failed.find((f) => f.event.data.vessel === fix.event.data.vessel && (f.event.data.hazards as string[]).includes(fix.event.data.hazard as string) && f.event.ts < fix.event.ts);
      expect(origin).toBeDefined();
      expect(fix.event.ts - origin!.event.ts).toBeGreaterThanOrEqual(DAY);
    }
  });
});
