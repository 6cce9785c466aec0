import { beaufort, metricFor } from '@tidewatch/contracts';
import { describe, expect, it } from 'vitest';
import { compositeIndex, goodDaysRatio, percentile } from './composite.js';
import { householdCoAlarm, lelAlarm, methaneLelPct, pressureClass, pressureOutOfBand } from './gas.js';
import { dailyMax1h, dailyMax8h, dailyMean, hourlyMean, isValidMonth, isValidYear, meanOverStations, movingMean8h } from './validity.js';
import { EFFLUENT_METRICS, effluentCompliance, gradeOfRoman, isGoodSeawater, RIVER_CLASS_INDICATORS, riverClass, SEA_CLASS_INDICATORS, seawaterClass } from './water.js';

const hours = (v: number | null, n = 24): (number | null)[] => Array.from({ length: n }, () => v);

describe('validity rules', () => {
  it('an hourly value needs 45 minutes of data: the seconds its readings cover, whatever the cadence', () => {
    expect(hourlyMean(45, 450, 45 * 60)).toBe(10); // 45 one-minute readings
    expect(hourlyMean(44, 440, 44 * 60)).toBeNull();
    expect(hourlyMean(9, 90, 9 * 300)).toBe(10); // 5-minute device: 9 readings cover 45 minutes
    expect(hourlyMean(8, 80, 8 * 300)).toBeNull();
    expect(hourlyMean(1, 30, 3600)).toBe(30); // one hourly mean is a whole hour
    expect(hourlyMean(1, 30, 300)).toBeNull(); // one 5-minute reading is not
    expect(hourlyMean(3, 30, 2700)).toBe(10); // three 15-minute means: exactly 45 minutes
    expect(hourlyMean(3, 30, 2699)).toBeNull();
    expect(hourlyMean(0, 0, 3600)).toBeNull();
  });

  it('a daily mean needs 20 valid hours', () => {
    const h = hours(10);
    expect(dailyMean(h)).toBe(10);
    expect(dailyMean([...hours(10, 20), null, null, null, null])).toBe(10);
    expect(dailyMean([...hours(10, 19), ...hours(null, 5)])).toBeNull();
  });

  it('an 8-hour mean needs 6 of its 8 hours', () => {
    const h = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(movingMean8h(h, 7)).toBe(4.5);
    expect(movingMean8h(h, 8)).toBe(5.5);
    expect(movingMean8h([null, 2, 3, 4, 5, 6, 7, null], 7)).toBe(4.5);
    expect(movingMean8h([null, null, null, 4, 5, 6, 7, 8], 7)).toBeNull();
    expect(movingMean8h(h, 6)).toBeNull();
  });

  it('the O3 daily maximum 8-hour mean is the largest of the day’s valid 8-hour means, needing 14 of 17', () => {
    const day = Array.from({ length: 24 }, (_, i) => (i >= 12 && i < 20 ? 200 : 40));
    expect(dailyMax8h(day)).toBe(200);
    const sparse = day.map((v, i) => (i < 4 ? null : v)); // the first 8-hour means lack hours
    expect(dailyMax8h(sparse)).toBe(200);
    const gaps = day.map((v, i) => (i % 3 === 0 ? null : v)); // every 8 h window has 5–6 hours
    expect(dailyMax8h(gaps)).toBeNull();
    expect(dailyMax1h(day)).toBe(200);
    expect(dailyMax1h([...hours(100, 19), ...hours(null, 5)])).toBeNull();
  });

  it('a month needs 27 valid days (25 in February), a year 324', () => {
    expect(isValidMonth(27, 1)).toBe(true);
    expect(isValidMonth(26, 1)).toBe(false);
    expect(isValidMonth(25, 2)).toBe(true);
    expect(isValidMonth(24, 2)).toBe(false);
    expect(isValidYear(324)).toBe(true);
    expect(isValidYear(323)).toBe(false);
  });

  it('district values are the mean concentration over the stations that have one', () => {
    expect(meanOverStations([30, 50, null, undefined])).toBe(40);
    expect(meanOverStations([null])).toBeNull();
  });
});

describe('composite index and good days', () => {
  it('percentile as the ranking rules define it', () => {
    expect(percentile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(percentile([10, 20], 0.9)).toBe(19);
    expect(percentile([5], 0.95)).toBe(5);
    expect(percentile([4, 1, 3, 2], 0.95)).toBeCloseTo(3.85, 10); // k = 3.85: 3 + 1 × 0.85
    expect(percentile([], 0.9)).toBeNull();
  });

  it('sums the six ratios to the grade II limits', () => {
    const days = Array.from({ length: 30 }, (_, i) => ({ so2: 12, no2: 32, pm10: 56, pm25: 28, co: 0.5 + i * 0.05, o3_8h_max: 100 + i * 2 }));
    const r = compositeIndex(days, '2012');
    expect(r.concentrations.co).toBeCloseTo(percentile(days.map((d) => d.co), 0.95)!, 10);
    expect(r.concentrations.o3).toBeCloseTo(percentile(days.map((d) => d.o3_8h_max), 0.9)!, 10);
    const expected = 12 / 60 + 32 / 40 + 56 / 70 + 28 / 35 + r.concentrations.co! / 4 + r.concentrations.o3! / 160;
    expect(r.index).toBeCloseTo(expected, 10);
    expect(r.method).toMatch(/equal weights/);
    // The 2026 transitional limits for PM are tighter, so the same air scores worse.
    expect(compositeIndex(days, '2026').index!).toBeGreaterThan(r.index!);
    expect(compositeIndex(days, '2026').limits.pm25).toBe(30);
  });

  it('applies weights when set, and says so', () => {
    const days = [{ so2: 60, no2: 40, pm10: 70, pm25: 35, co: 4, o3_8h_max: 160 }];
    expect(compositeIndex(days, '2012').index).toBe(6);
    const w = compositeIndex(days, '2012', { so2: 1, no2: 2, pm10: 1, pm25: 3, co: 1, o3: 2 });
    expect(w.index).toBe(10);
    expect(w.method).toMatch(/weighted/);
  });

  it('has no index when a pollutant has no data', () => {
    expect(compositeIndex([{ so2: 10, no2: 10, pm10: 10, pm25: 10, co: 1 }], '2012').index).toBeNull();
  });

  it('good-days ratio counts AQI ≤ 100 over valid days', () => {
    expect(goodDaysRatio([50, 100, 101, null, 200])).toEqual({ validDays: 4, goodDays: 2, ratio: 0.5 });
    expect(goodDaysRatio([null]).ratio).toBeNull();
  });
});

describe('GB 3097 sea water classes', () => {
  const classI = { ph: 8.1, do_mgl: 7, cod_mgl: 1.5, din_mgl: 0.15, dip_mgl: 0.01, oil_mgl: 0.02 };
  it.each([
    ['class I', classI, 1],
    ['DO exactly 6 is not class I', { ...classI, do_mgl: 6 }, 2],
    ['COD 3 is class II', { ...classI, cod_mgl: 3 }, 2],
    ['DIP 0.03 is class II', { ...classI, dip_mgl: 0.03 }, 2],
    ['DIN 0.35 is class III', { ...classI, din_mgl: 0.35 }, 3],
    ['oil 0.3 is class III', { ...classI, oil_mgl: 0.3 }, 3],
    ['pH 8.7 is class III', { ...classI, ph: 8.7 }, 3],
    ['DIP 0.045 is class IV', { ...classI, dip_mgl: 0.045 }, 4],
    ['DO 3.5 is class IV', { ...classI, do_mgl: 3.5 }, 4],
    ['COD 5.1 is worse than IV', { ...classI, cod_mgl: 5.1 }, 5],
    ['pH 9 is worse than IV', { ...classI, ph: 9 }, 5],
  ])('%s', (_n, values, grade) => {
    expect(seawaterClass(values)!.grade).toBe(grade);
  });

  it('names the worst indicators, counts I–II as good quality, and needs at least one value', () => {
    const c = seawaterClass({ ...classI, din_mgl: 0.45, dip_mgl: 0.04 })!;
    expect(c).toMatchObject({ grade: 4, roman: 'IV', zh: '第四类' });
    expect(c.limiting.sort()).toEqual(['din_mgl', 'dip_mgl']);
    expect(seawaterClass({ ...classI, cod_mgl: 9 })!.zh).toBe('劣四类');
    expect(isGoodSeawater(seawaterClass(classI))).toBe(true);
    expect(isGoodSeawater(seawaterClass({ ...classI, din_mgl: 0.35 }))).toBe(false);
    expect(seawaterClass({})).toBeNull();
  });
});

describe('GB 3838 river classes', () => {
  const classI = { do_mgl: 8, codmn_mgl: 1.5, cod_mgl: 12, nh3n_mgl: 0.1, tp_mgl: 0.01, ph: 7.5 };
  it.each([
    ['class I', classI, 1],
    ['DO 7.5 is still class I', { ...classI, do_mgl: 7.5 }, 1],
    ['COD 15 is class I', { ...classI, cod_mgl: 15 }, 1],
    ['NH3-N 0.5 is class II', { ...classI, nh3n_mgl: 0.5 }, 2],
    ['CODMn 6 is class III', { ...classI, codmn_mgl: 6 }, 3],
    ['TP 0.3 is class IV', { ...classI, tp_mgl: 0.3 }, 4],
    ['COD 40 is class V', { ...classI, cod_mgl: 40 }, 5],
    ['DO 1.9 is worse than V', { ...classI, do_mgl: 1.9 }, 6],
    ['NH3-N 2.1 is worse than V', { ...classI, nh3n_mgl: 2.1 }, 6],
    ['pH 9.2 is worse than V', { ...classI, ph: 9.2 }, 6],
  ])('%s', (_n, values, grade) => {
    expect(riverClass(values)!.grade).toBe(grade);
  });

  it('speaks Chinese and English and reads target classes', () => {
    expect(riverClass({ ...classI, cod_mgl: 25 })).toMatchObject({ roman: 'IV', zh: 'Ⅳ类', en: 'Class IV' });
    expect(riverClass({ ...classI, do_mgl: 1 })!.zh).toBe('劣Ⅴ类');
    expect(gradeOfRoman('III')).toBe(3);
    expect(gradeOfRoman('iv')).toBe(4);
    expect(gradeOfRoman('VI')).toBeNull();
  });
});

describe('GB 18918 class 1A effluent', () => {
  const ok = { cod_mgl: 30, nh3n_mgl: 2, tn_mgl: 10, tp_mgl: 0.3, ss_mgl: 6, ph: 7.2, water_temp_c: 18 };
  it('passes a compliant day and fails each limit', () => {
    expect(effluentCompliance(ok)).toEqual({ compliant: true, exceedances: [], missing: [] });
    for (const [param, value] of [['cod_mgl', 50.1], ['ss_mgl', 10.5], ['tn_mgl', 15.2], ['nh3n_mgl', 5.1], ['tp_mgl', 0.51], ['ph', 5.9], ['ph', 9.1]] as const) {
      const r = effluentCompliance({ ...ok, [param]: value });
      expect(r.compliant, `${param}=${value}`).toBe(false);
      expect(r.exceedances.map((e) => e.param)).toEqual([param]);
    }
    expect(effluentCompliance({ ...ok, cod_mgl: 50 }).compliant).toBe(true);
  });

  it('allows NH3-N 8 when the water is at or below 12 °C', () => {
    expect(effluentCompliance({ ...ok, nh3n_mgl: 7, water_temp_c: 12 }).compliant).toBe(true);
    expect(effluentCompliance({ ...ok, nh3n_mgl: 7, water_temp_c: 12.1 }).compliant).toBe(false);
    expect(effluentCompliance({ ...ok, nh3n_mgl: 8.1, water_temp_c: 8 }).compliant).toBe(false);
  });

  it('allows TP 1 for plants built before 2006', () => {
    expect(effluentCompliance({ ...ok, tp_mgl: 0.8 }, false).compliant).toBe(true);
    expect(effluentCompliance({ ...ok, tp_mgl: 0.8 }, true).compliant).toBe(false);
  });

  it('does not call a day compliant when a parameter is missing', () => {
    const r = effluentCompliance({ ...ok, tp_mgl: null });
    expect(r.compliant).toBe(false);
    expect(r.missing).toEqual(['tp_mgl']);
  });
});

describe('gas safety and wind', () => {
  it('LEL alarms at 20 (major) and 50 %LEL (critical) by default', () => {
    expect(lelAlarm(19.9)).toBe('none');
    expect(lelAlarm(20)).toBe('major');
    expect(lelAlarm(49.9)).toBe('major');
    expect(lelAlarm(50)).toBe('critical');
    expect(lelAlarm(30, { lelMajorPct: 25, lelCriticalPct: 40, coWarningPpm: 50, coCriticalPpm: 150 })).toBe('major');
    expect(methaneLelPct(1)).toBe(20);
  });

  it('household CO at 50 (warning) and 150 ppm (critical)', () => {
    expect(householdCoAlarm(49)).toBe('none');
    expect(householdCoAlarm(50)).toBe('warning');
    expect(householdCoAlarm(150)).toBe('critical');
  });

  it('pressure classes (GB 50028) and bands', () => {
    expect(pressureClass(5)!.name).toBe('low');
    expect(pressureClass(10)!.name).toBe('medium-B');
    expect(pressureClass(300)!.name).toBe('medium-A');
    expect(pressureClass(2500)!.name).toBe('high-A');
    expect(pressureOutOfBand(199, [200, 400])).toBe(true);
    expect(pressureOutOfBand(200, [200, 400])).toBe(false);
    expect(pressureOutOfBand(401, [200, 400])).toBe(true);
  });

  it.each([
    [0, 0], [0.2, 0], [0.3, 1], [1.5, 1], [1.6, 2], [5.4, 3], [5.5, 4], [10.7, 5], [10.8, 6], [13.8, 6], [13.9, 7], [17.1, 7],
    [17.2, 8], [20.7, 8], [20.8, 9], [24.4, 9], [24.5, 10], [28.4, 10], [28.5, 11], [32.6, 11], [32.7, 12], [56, 16], [56.1, 17],
  ])('%f m/s is Beaufort force %i (GB/T 28591)', (ms, force) => {
    expect(beaufort(ms)).toBe(force);
  });
});

describe('indicator lists', () => {
  it('name metrics the sites of each kind really report', () => {
    expect(SEA_CLASS_INDICATORS).toEqual(['ph', 'do_mgl', 'cod_mgl', 'din_mgl', 'dip_mgl', 'oil_mgl']);
    expect(RIVER_CLASS_INDICATORS).toEqual(['do_mgl', 'codmn_mgl', 'cod_mgl', 'nh3n_mgl', 'tp_mgl', 'ph']);
    for (const m of SEA_CLASS_INDICATORS) expect(metricFor('seawater', m), m).toBeDefined();
    for (const m of RIVER_CLASS_INDICATORS) expect(metricFor('river', m), m).toBeDefined();
    for (const m of EFFLUENT_METRICS) expect(metricFor('wwtp', m), m).toBeDefined();
  });
});
