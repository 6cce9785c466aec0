import type { DayCompleteness, MetricCompleteness } from '@tidewatch/contracts';
import { describe, expect, it } from 'vitest';
import type { DailyAqiDay } from '../air/aqi.service.js';
import type { DayFigure } from '../sites/daily-means.js';
import { dailyAqiOn, type DailyStats } from '../standards/aqi-index.js';
import { completenessNotes } from './completeness-table.js';
import { buildMonthlyReport, median, monthMax, monthMean, type AlertFact, type MonthlyInput, type SiteDays } from './monthly-report.js';
import { RIVER_CLASS_INDICATORS } from '../standards/water.js';
import { daysOfMonth } from './report-sources.js';
import { previousMonth } from './report.service.js';

const name = (site: string): { site: string; name_zh: string; name_en: string } => ({ site, name_zh: `${site}站`, name_en: `${site} site` });
const fig = (mean: number, hours = 24, n = hours * 60, max = mean): DayFigure => ({ mean, max, n, hours });
const days = (entries: Record<string, Record<string, DayFigure>>): SiteDays => new Map(Object.entries(entries));

function aqiDay(date: string, stats: DailyStats): DailyAqiDay {
  const r = dailyAqiOn(date, stats);
  return { date, standard: `HJ 633-${r.version}`, ...r, concentrations: stats };
}

const CLEAN: DailyStats = { so2: 8, no2: 20, co: 0.6, pm10: 40, pm25: 20, o3_8h_max: 90 };
const DIRTY: DailyStats = { so2: 20, no2: 50, co: 1.4, pm10: 150, pm25: 120, o3_8h_max: 120 };

function input(over: Partial<MonthlyInput> = {}): MonthlyInput {
  const month = over.month ?? '2026-10';
  return {
    month,
    days: daysOfMonth(month),
    complete: true,
    asOfMs: Date.parse('2026-10-31T16:00:00Z'),
    tz: 'Asia/Shanghai',
    air: { version: '2026', district: [], stations: [] },
    wwtp: [],
    rivers: [],
    sea: [],
    pumps: [],
    gas: [],
    ports: [],
    ebike: [],
    alerts: [],
    events: [],
    reviews: [],
    ...over,
  };
}

const alert = (a: Partial<AlertFact>): AlertFact => ({
  site: 'gas-a',
  kind: 'gas_point',
  rule_id: 'gas-lel',
  severity: 'major',
  opened_at: Date.parse('2026-10-05T02:00:00Z'),
  acknowledged_at: null,
  resolved_at: null,
  ...a,
});

describe('helpers', () => {
  it('median of odd and even counts, none for nothing', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('month means weigh each day by its readings; the maximum is the largest daily maximum', () => {
    const d = days({ '2026-10-01': { x: fig(10, 24, 100, 12) }, '2026-10-02': { x: fig(20, 24, 300, 31) }, '2026-10-03': { y: fig(1) } });
    expect(monthMean(d, 'x')).toBe(17.5);
    expect(monthMax(d, 'x')).toBe(31);
    expect(monthMean(d, 'z')).toBeNull();
    expect(monthMax(d, 'z')).toBeNull();
  });

  it('the month before, across a year', () => {
    expect(previousMonth('2026-11')).toBe('2026-10');
    expect(previousMonth('2026-10')).toBe('2026-09');
    expect(previousMonth('2027-01')).toBe('2026-12');
  });

  it('the days of a month, February of a leap year included', () => {
    expect(daysOfMonth('2026-10')).toHaveLength(31);
    expect(daysOfMonth('2026-02').at(-1)).toBe('2026-02-28');
    expect(daysOfMonth('2028-02').at(-1)).toBe('2028-02-29');
    expect(daysOfMonth('2026-11')[0]).toBe('2026-11-01');
  });
});

describe('air', () => {
  it('district good days, ratio, monthly validity, composite index, means and percentiles from the valid days', () => {
    const month = daysOfMonth('2026-10');
    // 27 valid days: 24 clean, 3 dirty; 4 days without data.
    const district = month.map((date, i) => (i < 24 ? aqiDay(date, CLEAN) : i < 27 ? aqiDay(date, DIRTY) : aqiDay(date, {})));
    const r = buildMonthlyReport(input({ air: { version: '2026', district, stations: [{ site: name('air-a'), days: district.slice(0, 10) }] } }));
    const d = r.air.district;
    expect(r.air.standard).toBe('HJ 633-2026');
    expect(d.valid_days).toBe(27);
    expect(d.good_days).toBe(24);
    expect(d.good_days_ratio).toBe(0.8889);
    expect(d.valid_month).toBe(true);
    expect(d.mean.pm25).toBe(Math.round(((24 * 20 + 3 * 120) / 27) * 10) / 10);
    expect(d.mean.so2).toBe(Math.round(((24 * 8 + 3 * 20) / 27) * 10) / 10);
    // 95th percentile of 27 CO values (24 × 0.6, 3 × 1.4): k = 1 + 26 × 0.95 = 25.7 → between the 25th and 26th (both 1.4).
    expect(d.co_p95).toBe(1.4);
    expect(d.o3_8h_p90).toBe(102); // k = 24.4: between the 24th (90) and 25th (120) → 90 + 0.4 × 30 = 102
    expect(d.composite_index).not.toBeNull();
    expect((d.category_days['1'] ?? 0) + (d.category_days['2'] ?? 0)).toBe(24);
    expect(Object.values(d.category_days).reduce((a, b) => a + b, 0)).toBe(27);
    expect(d.daily).toHaveLength(31);
    expect(d.daily[30]).toEqual({ date: '2026-10-31', aqi: null, category: null, primary: [] });
    // A primary pollutant only when AQI > 50.
    expect(d.daily[0]!.aqi).toBeLessThanOrEqual(50);
    expect(d.daily[0]!.primary).toEqual([]);
    expect(d.daily[25]!.primary).toEqual(['pm25']);
    expect(d.daily[25]!.category).toMatchObject({ zh: '中度污染', en: 'Moderately polluted' });
    expect(r.air.stations[0]).toMatchObject({ site: 'air-a', valid_days: 10, good_days: 10, good_days_ratio: 1 });
    expect(r.air.stations[0]!.daily).toHaveLength(10);
  });

  it('a month short of valid days is not valid (27 days; 25 in February) and an empty month has no ratio', () => {
    const oct = daysOfMonth('2026-10').map((date, i) => aqiDay(date, i < 26 ? CLEAN : {}));
    expect(buildMonthlyReport(input({ air: { version: '2026', district: oct, stations: [] } })).air.district.valid_month).toBe(false);
    const feb = daysOfMonth('2027-02').map((date, i) => aqiDay(date, i < 25 ? CLEAN : {}));
    expect(buildMonthlyReport(input({ month: '2027-02', air: { version: '2026', district: feb, stations: [] } })).air.district.valid_month).toBe(true);
    const none = buildMonthlyReport(input()).air.district;
    expect(none).toMatchObject({ valid_days: 0, good_days: 0, good_days_ratio: null, composite_index: null, co_p95: null });
  });

  it('names the 2012 standard for a month before March 2026', () => {
    expect(buildMonthlyReport(input({ month: '2026-01', air: { version: '2012', district: [], stations: [] } })).air.standard).toBe('HJ 633-2012');
  });
});

const EFFLUENT_OK = { cod_mgl: fig(30), nh3n_mgl: fig(1), tn_mgl: fig(10), tp_mgl: fig(0.3), ss_mgl: fig(6), ph: fig(7.2), water_temp_c: fig(18), flow_m3h: fig(2500) };

describe('wastewater plant', () => {
  it('judges complete days of daily means against class 1A; lists the days over the limit', () => {
    const d = days({
      '2026-10-01': EFFLUENT_OK,
      '2026-10-02': { ...EFFLUENT_OK, cod_mgl: fig(55), tp_mgl: fig(0.6) },
      '2026-10-03': { ...EFFLUENT_OK, nh3n_mgl: fig(6) }, // over 5 in warm water
      '2026-10-04': { ...EFFLUENT_OK, nh3n_mgl: fig(6), water_temp_c: fig(11) }, // cold water: limit 8
      '2026-10-05': { ...EFFLUENT_OK, tp_mgl: fig(0.8, 19) }, // TP on 19 hours only: not a valid day
      '2026-10-06': { ...EFFLUENT_OK, ss_mgl: undefined as unknown as DayFigure }, // no SS: not judged
    });
    delete d.get('2026-10-06')!.ss_mgl;
    const [w] = buildMonthlyReport(input({ wwtp: [{ site: name('wwtp-a'), builtFrom2006: true, days: d }] })).water.wwtp;
    expect(w).toMatchObject({ site: 'wwtp-a', judged_days: 4, compliant_days: 2, compliance_ratio: 0.5, exceedance_days: 2 });
    expect(w!.exceedances).toEqual([
      { date: '2026-10-02', params: ['cod_mgl', 'tp_mgl'] },
      { date: '2026-10-03', params: ['nh3n_mgl'] },
    ]);
    expect(w!.mean.flow_m3h).toBe(2500);
  });

  it('a plant built before 2006 has the TP limit of 1 mg/L', () => {
    const d = days({ '2026-10-01': { ...EFFLUENT_OK, tp_mgl: fig(0.8) } });
    const old = buildMonthlyReport(input({ wwtp: [{ site: name('w'), builtFrom2006: false, days: d }] })).water.wwtp[0]!;
    const recent = buildMonthlyReport(input({ wwtp: [{ site: name('w'), builtFrom2006: true, days: d }] })).water.wwtp[0]!;
    expect(old.compliance_ratio).toBe(1);
    expect(recent.compliance_ratio).toBe(0);
  });

  it('no data: nothing judged, no ratio', () => {
    const w = buildMonthlyReport(input({ wwtp: [{ site: name('w'), builtFrom2006: true, days: new Map() }] })).water.wwtp[0]!;
    expect(w).toMatchObject({ judged_days: 0, compliance_ratio: null, exceedance_days: 0 });
    expect(w.mean.cod_mgl).toBeNull();
  });
});

describe('rivers and sea', () => {
  it('a river section is classed by its monthly means (worst indicator) against its target', () => {
    const d = days({ '2026-10-01': { do_mgl: fig(7), codmn_mgl: fig(3), nh3n_mgl: fig(0.4), tp_mgl: fig(0.15), ph: fig(7.5) }, '2026-10-02': { tp_mgl: fig(0.25) } });
    const rivers = buildMonthlyReport(input({ rivers: [{ site: name('r1'), target: 'III', days: d }, { site: name('r2'), target: 'II', days: d }, { site: name('r3'), target: null, days: new Map() }] })).water.rivers;
    // TP mean 0.2 → class III; DO 7 → class II.
    expect(rivers[0]).toMatchObject({ measured_days: 2, class: { roman: 'III', zh: 'Ⅲ类', limiting: ['tp_mgl'] }, target_class: 'III', meets_target: true });
    expect(rivers[1]).toMatchObject({ meets_target: false });
    expect(rivers[2]).toMatchObject({ measured_days: 0, class: null, meets_target: null });
  });

  it('the sea good ratio counts valid buoy-days of class I–II', () => {
    const good = { ph: fig(8.1), do_mgl: fig(7), cod_mgl: fig(1.5), din_mgl: fig(0.15), dip_mgl: fig(0.01), oil_mgl: fig(0.02) };
    const a = days({ '2026-10-01': good, '2026-10-02': { ...good, din_mgl: fig(0.35) }, '2026-10-03': { ...good, din_mgl: fig(0.6, 12) } });
    const b = days({ '2026-10-01': good });
    const sea = buildMonthlyReport(input({ sea: [{ site: name('s1'), target: 'II', days: a }, { site: name('s2'), target: 'II', days: b }] })).water.sea;
    // Day 3 of s1 has DIN on 12 hours only: classed by its other indicators (class I).
    expect(sea).toMatchObject({ point_days: 4, good_point_days: 3, good_ratio: 0.75 });
    expect(sea.points[0]).toMatchObject({ measured_days: 3, good_days: 2, class: { roman: 'III' } , meets_target: false });
    expect(sea.points[1]).toMatchObject({ measured_days: 1, good_days: 1, class: { roman: 'I' }, meets_target: true });
  });
});

describe('pump stations and safety', () => {
  it('pump availability from the fault flag, faults from events, overflow risk from level alerts', () => {
    const d = days({ '2026-10-01': { pump_fault: fig(0, 24, 2880), wet_well_level_m: fig(2, 24, 2880, 3.9) }, '2026-10-02': { pump_fault: fig(0.5, 24, 2880), wet_well_level_m: fig(2.2, 24, 2880, 4.6) } });
    const r = buildMonthlyReport(
      input({
        pumps: [{ site: name('p1'), days: d }, { site: name('p2'), days: new Map() }],
        events: [{ site: 'p1', type: 'pump_fault', count: 2, hazards: 0, failed: 0 }],
        alerts: [alert({ site: 'p1', kind: 'pump_station', rule_id: 'pump-level' }), alert({ site: 'p1', kind: 'pump_station', rule_id: 'pump-h2s' })],
      }),
    );
    expect(r.water.pump_stations[0]).toEqual({ ...name('p1'), availability: 0.75, fault_count: 2, overflow_risk_events: 1, max_level_m: 4.6 });
    expect(r.water.pump_stations[1]).toEqual({ ...name('p2'), availability: null, fault_count: 0, overflow_risk_events: 0, max_level_m: null });
  });

  it('gas, fishing ports and e-bike sheds', () => {
    const t0 = Date.parse('2026-10-05T02:00:00Z');
    const r = buildMonthlyReport(
      input({
        gas: [{ site: name('gas-a'), days: days({ '2026-10-05': { ch4_lel_pct: fig(1, 24, 2880, 55) } }) }, { site: name('gas-b'), days: days({ '2026-10-05': { ch4_lel_pct: fig(0.2, 24, 2880, 3) } }) }],
        ports: [{ site: name('port-a'), days: days({ '2026-10-05': { wind_level: fig(4, 24, 1440, 8) } }) }, { site: name('port-b'), days: new Map() }],
        ebike: [{ site: name('eb-a'), days: days({ '2026-10-05': { temp_c: fig(20, 24, 2880, 41.26) } }) }],
        events: [
          { site: 'port-a', type: 'inspection', count: 10, hazards: 4, failed: 3 },
          { site: 'port-a', type: 'rectified', count: 3, hazards: 0, failed: 0 },
          { site: 'port-b', type: 'inspection', count: 5, hazards: 1, failed: 1 },
          { site: 'port-b', type: 'rectified', count: 4, hazards: 0, failed: 0 }, // last month's hazards rectified this month
          { site: 'port-a', type: 'departure', count: 40, hazards: 0, failed: 0 },
        ],
        alerts: [
          alert({ severity: 'critical', opened_at: t0, acknowledged_at: t0 + 3 * 60_000 }),
          alert({ site: 'gas-b', rule_id: 'gas-pressure', severity: 'major', opened_at: t0, acknowledged_at: t0 + 9 * 60_000 }),
          alert({ site: 'port-a', kind: 'fishing_port', rule_id: 'port-gale', severity: 'critical' }),
          alert({ site: 'eb-a', kind: 'ebike_charging', rule_id: 'ebike-fire', severity: 'critical' }),
        ],
      }),
    );
    expect(r.safety.gas).toEqual({ points: 2, alerts: 2, critical_alerts: 1, lel_alarms: 1, max_lel_pct: 55, max_lel_site: 'gas-a', median_ack_minutes: 6 });
    expect(r.safety.fishing_ports).toMatchObject({ inspections: 15, failed_inspections: 4, hazards: 5, rectified: 7, rectified_ratio: 1, departures: 40, gale_alerts: 1, max_wind_level: 8 });
    expect(r.safety.fishing_ports.ports[1]).toEqual({ ...name('port-b'), inspections: 5, hazards: 1, rectified: 4, departures: 0, gale_alerts: 0, max_wind_level: null });
    expect(r.safety.ebike).toEqual({ sheds: 1, fire_risk_alerts: 1, max_temp_c: 41.3, max_temp_site: 'eb-a' });
  });

  it('no hazards found: no rectified ratio', () => {
    const r = buildMonthlyReport(input({ ports: [{ site: name('port-a'), days: new Map() }] }));
    expect(r.safety.fishing_ports).toMatchObject({ inspections: 0, hazards: 0, rectified_ratio: null, max_wind_level: null });
  });
});

describe('alerts', () => {
  it('counts by severity and kind, with median minutes to acknowledge and resolve', () => {
    const t0 = Date.parse('2026-10-05T02:00:00Z');
    const r = buildMonthlyReport(
      input({
        asOfMs: t0 + 86_400_000,
        alerts: [
          alert({ severity: 'critical', acknowledged_at: t0 + 2 * 60_000, resolved_at: t0 + 30 * 60_000 }),
          alert({ severity: 'critical', acknowledged_at: t0 + 4 * 60_000, resolved_at: t0 + 50 * 60_000 }),
          alert({ kind: 'air', site: 'air-a', rule_id: 'air-aqi', severity: 'warning', acknowledged_at: t0 + 60 * 60_000 }),
          alert({ kind: 'air', site: 'air-a', rule_id: 'air-aqi', severity: 'minor' }),
        ],
      }),
    );
    expect(r.alerts).toEqual({
      total: 4,
      by_severity: { critical: 2, major: 0, minor: 1, warning: 1 },
      by_kind: { gas_point: 2, air: 2 },
      acknowledged: 3,
      resolved: 2,
      still_open: 2,
      median_ack_minutes: 4,
      median_resolve_minutes: 40,
    });
    expect(r.as_of).toBe(new Date(t0 + 86_400_000).toISOString());
    expect(r).toMatchObject({ month: '2026-10', complete: true, time_zone: 'Asia/Shanghai' });
  });
});

/** A district day of a station: each metric's [expected, received, valid, valid hours]; the share over 24 hours per metric. */
function cday(date: string, metrics: Record<string, [number, number, number, number]>): DayCompleteness {
  const m: Record<string, MetricCompleteness> = {};
  const total = { expected: 0, received: 0, valid: 0, valid_hours: 0 };
  for (const [k, [expected, received, valid, valid_hours]] of Object.entries(metrics)) {
    m[k] = { expected, received, valid, valid_hours };
    total.expected += expected;
    total.received += received;
    total.valid += valid;
    total.valid_hours += valid_hours;
  }
  const hours = 24 * Object.keys(metrics).length;
  return { date, ...total, valid_share: hours ? total.valid_hours / hours : 0, metrics: m };
}

const RIVER_ALL = (hours: number, valid = hours * 12): Record<string, [number, number, number, number]> =>
  Object.fromEntries(RIVER_CLASS_INDICATORS.map((k) => [k, [288, valid, valid, hours]]));

describe('data completeness', () => {
  it('a 5-minute air station: 8,640 expected, 8,000 received, 7,800 valid in a 30-day month → 90.3 %, valid days from its daily AQI', () => {
    const month = daysOfMonth('2026-09');
    // 26 whole days (288 of 288 in 24 valid hours) and 4 days with 128 received, 78 valid in 6 valid hours.
    const cdays = month.map((date, i) => (i < 26 ? cday(date, { pm25: [288, 288, 288, 24] }) : cday(date, { pm25: [288, 128, 78, 6] })));
    // Its daily AQI: 27 days (one more than its complete days: a day's AQI is judged per pollutant).
    const aqi = month.map((date, i) => aqiDay(date, i < 27 ? CLEAN : {}));
    const r = buildMonthlyReport(
      input({
        month: '2026-09',
        air: { version: '2026', district: aqi, stations: [{ site: name('air-a'), days: aqi }] },
        completeness: [{ site: name('air-a'), kind: 'air', interval: { seconds: 300, source: 'learned' }, days: cdays }],
      }),
    );
    expect(r.completeness).toEqual({
      min_valid_days: 27,
      stations: [
        {
          ...name('air-a'),
          kind: 'air',
          interval_s: 300,
          interval_source: 'learned',
          expected: 8640, // 30 × 288
          received: 8000, // 26 × 288 + 4 × 128
          valid: 7800, // 26 × 288 + 4 × 78
          capture_rate: 0.9028, // 7800 / 8640 = 90.3 %
          valid_hours_share: 0.9, // (26 × 24 + 4 × 6) / (30 × 24)
          valid_days: 27,
          valid_month: true,
        },
      ],
    });
    expect(completenessNotes(r, 'zh', (s) => s.name_zh)).toHaveLength(1); // what it counts; nobody short
  });

  it('a river section with 20 valid days of 30 is kept in the section and named in the notes, in zh and en', () => {
    const month = daysOfMonth('2026-09');
    const river = month.map((date, i) => {
      if (i < 20) return cday(date, RIVER_ALL(24));
      if (i === 20) return cday(date, { ...RIVER_ALL(24), tp_mgl: [288, 228, 228, 19] }); // TP on 19 valid hours: not a valid day
      return cday(date, RIVER_ALL(0, 0));
    });
    const r = buildMonthlyReport(
      input({
        month: '2026-09',
        complete: false,
        completeness: [
          { site: name('r1'), kind: 'river', interval: { seconds: 300, source: 'nominal' }, days: river },
          { site: name('r2'), kind: 'river', interval: { seconds: 300, source: 'set' }, days: [] },
        ],
      }),
    );
    const [r1, r2] = r.completeness!.stations;
    // Its 6 class indicators: expected counts every day of the month, the silent ones too.
    expect(r1).toMatchObject({ site: 'r1', expected: 30 * 6 * 288, received: 20 * 6 * 288 + 5 * 288 + 228, valid_days: 20, valid_month: false, interval_source: 'nominal' });
    expect(r1!.capture_rate).toBe(0.6988); // (20 × 6 × 288 + 5 × 288 + 228) / (30 × 6 × 288) = 36 228 / 51 840
    expect(r2).toMatchObject({ site: 'r2', expected: 0, received: 0, capture_rate: null, valid_hours_share: null, valid_days: 0, valid_month: false });
    expect(completenessNotes(r, 'zh', (s) => s.name_zh)[1]).toBe('截至目前，以下站点有效天数不足本月有效性要求（27天）：r1站（20天）、r2站（0天）。');
    expect(completenessNotes(r, 'en', (s) => s.name_en)[1]).toBe("So far, these stations have fewer valid days than the month's validity rule (27): r1 site (20 days), r2 site (0 days).");
  });

  it('February asks 25 valid days; a wastewater plant’s day is valid when each effluent metric has 20 valid hours', () => {
    const feb = daysOfMonth('2027-02');
    const effluent = (hours: number): Record<string, [number, number, number, number]> =>
      Object.fromEntries(['cod_mgl', 'nh3n_mgl', 'tn_mgl', 'tp_mgl', 'ss_mgl', 'ph', 'water_temp_c', 'flow_m3h'].map((k) => [k, [1440, hours * 60, hours * 60, hours]]));
    const days25 = feb.map((date, i) => cday(date, i < 25 ? effluent(20) : { ...effluent(24), ph: [1440, 0, 0, 0] }));
    const r = buildMonthlyReport(input({ month: '2027-02', completeness: [{ site: name('w1'), kind: 'wwtp', interval: { seconds: 60, source: 'set' }, days: days25 }] }));
    expect(r.completeness).toMatchObject({ min_valid_days: 25, stations: [{ site: 'w1', valid_days: 25, valid_month: true }] });
    expect(completenessNotes(r, 'en', (s) => s.name_en)).toHaveLength(1);
  });

  it('a report gathered without completeness has an empty section and no completeness notes', () => {
    const r = buildMonthlyReport(input());
    expect(r.completeness).toEqual({ min_valid_days: 27, stations: [] });
    expect(completenessNotes(r, 'zh', (s) => s.name_zh)).toEqual([]);
  });
});
