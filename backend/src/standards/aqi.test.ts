import { describe, expect, it } from 'vitest';
import { aqiVersionFor, BREAKPOINTS, category, HJ633_2026_FROM_MS, IAQI_LEVELS, iaqi, lookupConcentration, type AqiVersion, type Column } from './aqi.js';
import { dailyAqi, dailyAqiOn, hourlyAqi } from './aqi-index.js';
import { roundHalfEven } from './exact.js';

const VERSIONS: AqiVersion[] = ['2012', '2026'];
const COLUMNS = Object.keys(BREAKPOINTS['2012']) as Column[];

describe('IAQI breakpoints (docs/standards.md §1.1), every row of both versions', () => {
  for (const version of VERSIONS) {
    for (const column of COLUMNS) {
      const bp = BREAKPOINTS[version][column];
      it(`${version} ${column}: each breakpoint gives exactly its IAQI, and just above it rounds up by one`, () => {
        for (let i = 0; i < bp.length; i++) {
          expect(iaqi(column, bp[i]!, version), `C=${bp[i]}`).toBe(IAQI_LEVELS[i]);
          if (i < bp.length - 1) {
            // Just above a breakpoint (past the 2026 rounding step) the IAQI is the next integer.
            const step = column.startsWith('co') ? 0.1 : 1;
            const above = iaqi(column, bp[i]! + step, version)!;
            expect(above).toBe(Math.ceil(IAQI_LEVELS[i]! + ((IAQI_LEVELS[i + 1]! - IAQI_LEVELS[i]!) / (bp[i + 1]! - bp[i]!)) * step - 1e-9));
          }
        }
      });
    }
  }

  it('uses the 2026 PM columns from 2026-03-01: PM2.5 60 and PM10 120 are IAQI 100', () => {
    expect(iaqi('pm25_24h', 60, '2026')).toBe(100);
    expect(iaqi('pm25_24h', 60, '2012')).toBe(82); // 50 + 50/40 × 25 = 81.25 → 82
    expect(iaqi('pm10_24h', 120, '2026')).toBe(100);
    expect(iaqi('pm10_24h', 120, '2012')).toBe(85);
    expect(iaqi('pm25_24h', 75, '2012')).toBe(100);
    expect(iaqi('pm25_24h', 76, '2012')).toBe(102); // 101.25 rounds up
  });

  it('computes exactly where floating point would round up by one', () => {
    // 400 + 100/520 × 20.8 = 404 exactly; in floating point it is 404.00000000000006.
    expect(iaqi('so2_24h', 2120.8, '2012')).toBe(404);
    expect(iaqi('co_24h', 1.1, '2012')).toBe(28); // 27.5 → 28
  });

  it('HJ 633-2026 rounds concentrations half to even before the lookup (GB/T 8170)', () => {
    expect(roundHalfEven(35.5, 0)).toBe(36);
    expect(roundHalfEven(36.5, 0)).toBe(36);
    expect(roundHalfEven(4.05, 1)).toBe(4);
    expect(roundHalfEven(4.15, 1)).toBe(4.2);
    expect(roundHalfEven(-2.5, 0)).toBe(-2);
    expect(lookupConcentration('pm25_24h', 60.5, '2026')).toBe(60);
    expect(lookupConcentration('pm25_24h', 60.5, '2012')).toBe(60.5);
    expect(iaqi('pm25_24h', 60.5, '2026')).toBe(100);
    expect(iaqi('pm25_24h', 61.5, '2026')).toBe(102); // 62 → 100 + 50/55 × 2 = 101.8
    expect(iaqi('co_24h', 4.04, '2026')).toBe(100);
    expect(iaqi('co_24h', 4.05, '2026')).toBe(100);
    expect(iaqi('co_24h', 4.15, '2026')).toBe(101); // 4.2 → 101
    expect(iaqi('pm25_24h', 35.4, '2012')).toBe(51); // no rounding in 2012: 50.57 → 51
  });

  it('applies each version’s rule above the SO2 1h and O3 8h columns', () => {
    expect(iaqi('so2_1h', 800, '2012')).toBe(200);
    expect(iaqi('so2_1h', 801, '2012')).toBeNull();
    expect(iaqi('so2_1h', 801, '2026')).toBe(200);
    expect(iaqi('o3_8h', 800, '2026')).toBe(300);
    expect(iaqi('o3_8h', 801, '2026')).toBe(300);
    expect(iaqi('o3_8h', 801, '2012')).toBeNull();
    expect(iaqi('pm25_24h', 900, '2012')).toBe(500);
  });

  it('refuses negative or non-finite concentrations', () => {
    expect(() => iaqi('pm25_24h', -1, '2012')).toThrow(RangeError);
    expect(() => iaqi('pm25_24h', Number.NaN, '2026')).toThrow(RangeError);
  });
});

describe('IAQI properties', () => {
  it('is monotonic in concentration and never exceeds the next breakpoint’s IAQI', () => {
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const version of VERSIONS) {
      for (const column of COLUMNS) {
        const bp = BREAKPOINTS[version][column];
        const top = bp[bp.length - 1]!;
        const cs = Array.from({ length: 400 }, () => Math.round(rand() * top * 1000) / 1000).sort((a, b) => a - b);
        let prev = -1;
        for (const c of cs) {
          const v = iaqi(column, c, version)!;
          expect(v).toBeGreaterThanOrEqual(prev);
          prev = v;
          const rc = lookupConcentration(column, c, version);
          const i = bp.findIndex((b) => rc <= b);
          expect(v).toBeLessThanOrEqual(IAQI_LEVELS[Math.max(i, 0)]!);
        }
      }
    }
  });
});

describe('version by date (Asia/Shanghai)', () => {
  it('switches at 2026-03-01 00:00 in the district', () => {
    expect(HJ633_2026_FROM_MS).toBe(Date.parse('2026-03-01T00:00:00+08:00'));
    expect(aqiVersionFor(Date.parse('2026-02-28T23:59:59.999+08:00'))).toBe('2012');
    expect(aqiVersionFor(Date.parse('2026-03-01T00:00:00+08:00'))).toBe('2026');
    expect(aqiVersionFor(Date.parse('2026-02-28T16:30:00Z'))).toBe('2026'); // already 1 March in Dalian
    expect(dailyAqiOn('2026-02-28', { pm25: 60 }).version).toBe('2012');
    expect(dailyAqiOn('2026-03-01', { pm25: 60 }).version).toBe('2026');
  });
});

describe('categories', () => {
  it.each([
    [1, 1, '优', '#00E400'],
    [50, 1, '优', '#00E400'],
    [51, 2, '良', '#FFFF00'],
    [100, 2, '良', '#FFFF00'],
    [101, 3, '轻度污染', '#FF7E00'],
    [150, 3, '轻度污染', '#FF7E00'],
    [151, 4, '中度污染', '#FF0000'],
    [200, 4, '中度污染', '#FF0000'],
    [201, 5, '重度污染', '#99004C'],
    [300, 5, '重度污染', '#99004C'],
    [301, 6, '严重污染', '#7E0023'],
    [500, 6, '严重污染', '#7E0023'],
  ])('AQI %i is level %i %s %s', (aqi, level, zh, colour) => {
    expect(category(aqi)).toMatchObject({ level, zh, colour });
    expect(category(aqi).en).toMatch(/^[A-Z]/);
  });
});

describe('daily and hourly AQI', () => {
  const full = { so2: 10, no2: 30, co: 0.8, pm10: 70, pm25: 40, o3_8h_max: 90, o3_1h_max: 120 };

  it('takes the largest IAQI and names the primary pollutant above 50', () => {
    const r = dailyAqi(full, '2026');
    expect(r.iaqi).toEqual({ so2: 10, no2: 38, co: 20, pm10: 65, pm25: 60, o3: 45 }); // PM10 70 in the 2026 column: 64.3 → 65
    expect(r.aqi).toBe(65);
    expect(r.primary).toEqual(['pm10']);
    expect(r.category?.zh).toBe('良');
  });

  it('names no primary pollutant at AQI 50 or below, and every tied one above', () => {
    expect(dailyAqi({ so2: 5, no2: 10, co: 0.2, pm10: 20, pm25: 10, o3_8h_max: 50 }, '2026').primary).toEqual([]);
    const tie = dailyAqi({ so2: 5, no2: 80, co: 0.2, pm10: 150, pm25: 10, o3_8h_max: 50 }, '2012'); // NO2 80 and PM10 150 are both IAQI 100
    expect(tie.aqi).toBe(100);
    expect(tie.primary.sort()).toEqual(['no2', 'pm10']);
  });

  it('2012 counts the O3 1-hour maximum in the daily AQI; 2026 does not', () => {
    const s = { ...full, o3_1h_max: 350 }; // 1 h IAQI 175
    expect(dailyAqi(s, '2012').aqi).toBe(175);
    expect(dailyAqi(s, '2012').primary).toEqual(['o3']);
    expect(dailyAqi(s, '2026').aqi).toBe(65);
  });

  it('O3 8h above 800: 2012 falls back to the 1-hour IAQI, 2026 gives 300', () => {
    expect(dailyAqi({ ...full, o3_8h_max: 900, o3_1h_max: 1000 }, '2012').aqi).toBe(400);
    expect(dailyAqi({ ...full, o3_8h_max: 900 }, '2026').aqi).toBe(300);
  });

  it('2026 hourly AQI: 1-hour means of all six, PM looked up in the 24-hour columns', () => {
    const r = hourlyAqi({ so2_1h: 20, no2_1h: 50, co_1h: 1, o3_1h: 100, pm10_1h: 80, pm25_1h: 70 }, '2026');
    expect(r.iaqi).toEqual({ so2: 7, no2: 25, co: 10, o3: 32, pm10: 72, pm25: 110 });
    expect(r.aqi).toBe(110);
    expect(r.primary).toEqual(['pm25']);
  });

  it('2012 hourly AQI: PM from 24-hour moving means, O3 from both the 1-hour and 8-hour values', () => {
    const r = hourlyAqi({ so2_1h: 20, no2_1h: 50, co_1h: 1, o3_1h: 100, o3_8h: 170, pm10_1h: 300, pm25_1h: 200, pm10_24h: 80, pm25_24h: 50 }, '2012');
    expect(r.iaqi).toEqual({ so2: 7, no2: 25, co: 10, o3_1h: 32, o3_8h: 110, pm10: 65, pm25: 69 });
    expect(r.aqi).toBe(110);
    expect(r.primary).toEqual(['o3']);
  });

  it('2012 hourly SO2 above 800 uses the SO2 24-hour IAQI; 2026 gives 200', () => {
    const base = { no2_1h: 10, co_1h: 0.5, o3_1h: 20, pm10_24h: 20, pm25_24h: 10 };
    expect(hourlyAqi({ ...base, so2_1h: 900, so2_24h: 475 }, '2012').iaqi.so2).toBe(150);
    expect(hourlyAqi({ ...base, so2_1h: 900, o3_8h: 20, pm10_1h: 20, pm25_1h: 10 }, '2026').iaqi.so2).toBe(200);
  });

  it('2026 with a pollutant missing: publishes the AQI only above 100, always the IAQIs', () => {
    const low = dailyAqi({ so2: 10, no2: 30, co: 0.8, pm10: 70, pm25: 40 }, '2026');
    expect(low.missing).toEqual(['o3']);
    expect(low.aqi).toBeNull();
    expect(low.category).toBeNull();
    expect(low.iaqi.pm10).toBe(65);
    const high = dailyAqi({ so2: 10, no2: 30, co: 0.8, pm10: 70, pm25: 120 }, '2026');
    expect(high.aqi).toBe(158); // 150 + 50/35 × 5 = 157.1
    expect(high.category?.zh).toBe('中度污染');
    expect(dailyAqi({}, '2026').aqi).toBeNull();
  });

  it('2026 AQI is at least 1', () => {
    expect(dailyAqi({ so2: 0, no2: 0, co: 0, pm10: 0, pm25: 0, o3_8h_max: 0 }, '2026').aqi).toBe(1);
    expect(dailyAqi({ so2: 0, no2: 0, co: 0, pm10: 0, pm25: 0, o3_8h_max: 0, o3_1h_max: 0 }, '2012').aqi).toBe(0);
  });
});
