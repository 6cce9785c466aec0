import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, waitFor } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

const ctx = useHub();
let token: string;
beforeAll(async () => {
  token = await login(ctx.t);
});

type Values = Record<string, number>;
const MIN = 60_000;

/** One reading a minute from `startMs` for `minutes`, published as batch payloads (real broker, QoS 1). */
async function publishMinutes(site: string, startMs: number, minutes: number, values: Values): Promise<number> {
  const c = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `aqi-test-${site}-${startMs}` });
  const readings = Array.from({ length: minutes }, (_, i) => ({ ts: startMs + i * MIN, values }));
  for (let i = 0; i < readings.length; i += 400) {
    await c.publishAsync(siteTopic(site, 'telemetry'), JSON.stringify({ readings: readings.slice(i, i + 400) }), { qos: 1 });
  }
  await c.endAsync();
  return minutes * Object.keys(values).length;
}

const day = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);
const A: Values = { pm25: 80, pm10: 100, so2: 10, no2: 30, co: 0.8, o3: 100 };
const B: Values = { pm25: 40, pm10: 60, so2: 10, no2: 30, co: 0.8, o3: 100 };

interface Day {
  date: string;
  standard: string;
  aqi: number | null;
  primary: string[];
  category: { zh: string; en: string } | null;
  valid_stations?: number;
  concentrations: Record<string, number>;
}

describe('AQI from readings published through the broker', () => {
  it('daily AQI per station and for the district (from mean concentrations), with the validity rule and the 2026 switch', async () => {
    // Two whole days for station A, one whole day and 19 hours for station B.
    await publishMinutes('air-hekou', day('2026-11-10'), 2 * 1440, A);
    await publishMinutes('air-lingshui', day('2026-11-10'), 1440 + 19 * 60, B);
    // The day before and the day the 2026 standard took effect, PM2.5 60 µg/m³.
    const switchDays = { pm25: 60, pm10: 40, so2: 10, no2: 20, co: 0.5, o3: 60 };
    await publishMinutes('air-caidaling', day('2026-02-28'), 2 * 1440, switchDays);

    let district: Day[] = [];
    await waitFor(async () => {
      district = (await api<{ days: Day[] }>(ctx.t, token, '/api/aqi/daily?from=2026-11-10&to=2026-11-11')).body.days;
      return district[1]?.aqi !== null && district[1]?.aqi !== undefined && district[0]?.valid_stations === 2;
    }, 30_000, 'daily AQI');

    const a = (await api<{ days: Day[] }>(ctx.t, token, '/api/aqi/daily?from=2026-11-10&to=2026-11-11&site=air-hekou')).body.days;
    expect(a.map((d) => [d.date, d.standard, d.aqi, d.primary, d.category?.zh])).toEqual([
      ['2026-11-10', 'HJ 633-2026', 119, ['pm25'], '轻度污染'], // PM2.5 80: 100 + 50/55 × 20 = 118.2
      ['2026-11-11', 'HJ 633-2026', 119, ['pm25'], '轻度污染'],
    ]);
    const b = (await api<{ days: Day[] }>(ctx.t, token, '/api/aqi/daily?from=2026-11-10&to=2026-11-11&site=air-lingshui')).body.days;
    expect(b[0]).toMatchObject({ aqi: 60, primary: ['pm25'], category: { zh: '良' } });
    // 19 valid hours: no daily means (its O3 8-hour maximum still has 14 valid 8-hour means).
    expect(b[1]).toMatchObject({ aqi: null, missing: ['so2', 'no2', 'co', 'pm10', 'pm25'] });
    // District: mean concentrations (PM2.5 60, PM10 80) → 100, not the mean of the station AQIs (89.5).
    expect(district[0]).toMatchObject({ date: '2026-11-10', aqi: 100, primary: ['pm25'], valid_stations: 2, category: { zh: '良', en: 'Good' } });
    expect(district[0]!.concentrations.pm25).toBeCloseTo(60, 6);
    expect(district[1]).toMatchObject({ aqi: 119 });
    expect(district[1]!.concentrations.pm25).toBe(80); // station A alone

    // With an external broker the publisher's acknowledgement comes from the broker, not the hub: wait for storage.
    let sw: Day[] = [];
    await waitFor(async () => {
      sw = (await api<{ days: Day[] }>(ctx.t, token, '/api/aqi/daily?from=2026-02-28&to=2026-03-01&site=air-caidaling')).body.days;
      return sw.every((d) => d.aqi !== null);
    }, 30_000, 'daily AQI around the switch');
    expect(sw.map((d) => [d.date, d.standard, d.aqi])).toEqual([
      ['2026-02-28', 'HJ 633-2012', 82], // 50 + 50/40 × 25 = 81.25
      ['2026-03-01', 'HJ 633-2026', 100],
    ]);
  });

  it('hourly AQI of the last complete hour, per station and district, and the site indicator', async () => {
    const hourMs = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    await publishMinutes('air-longwangtang', hourMs - 25 * 3_600_000, 25 * 60, { pm25: 130, pm10: 150, so2: 8, no2: 40, co: 0.9, o3: 90 });
    type Latest = { hour: string; standard: string; district: Day & { iaqi: Record<string, number> }; stations: (Day & { site: string })[] };
    let latest: Latest | null = null;
    await waitFor(async () => {
      latest = (await api<Latest>(ctx.t, token, '/api/aqi/latest')).body;
      return latest.stations.find((s) => s.site === 'air-longwangtang')?.aqi !== null && latest.stations.find((s) => s.site === 'air-longwangtang')?.aqi !== undefined;
    }, 30_000, 'latest AQI');
    const l = latest!;
    expect(l.hour).toBe(new Date(hourMs - 3_600_000).toISOString());
    expect(l.standard).toBe('HJ 633-2026');
    const station = l.stations.find((s) => s.site === 'air-longwangtang')!;
    // 2026: PM2.5 1 h mean 130 in the 24 h column: 150 + 50/35 × 15 = 171.4 → 172.
    expect(station).toMatchObject({ aqi: 172, primary: ['pm25'], category: { zh: '中度污染' } });
    expect(l.stations[0]!.site).toBe('air-longwangtang'); // ranked worst first
    expect(l.district).toMatchObject({ aqi: 172, valid_stations: 1 });

    // The site list carries the category (refreshed each minute; force it by asking the site now).
    await waitFor(async () => {
      const site = (await api<{ indicator: { type: string; aqi: number } | null }>(ctx.t, token, '/api/sites/air-longwangtang')).body;
      return site.indicator?.aqi === 172;
    }, 90_000, 'site indicator');
  });

  it('pushes the hourly AQI on /live when it changes', async () => {
    const socket = io(`${ctx.t.httpUrl}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
    const seen: { stations: { site: string; aqi: number | null }[] }[] = [];
    socket.on('snapshot', (snap: { aqi: (typeof seen)[number] | null }) => snap.aqi && seen.push(snap.aqi));
    socket.on('aqi', (a: (typeof seen)[number]) => seen.push(a));
    await waitFor(async () => seen.length > 0, 10_000, 'aqi on connect');
    const hourMs = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    await publishMinutes('air-yingeshi', hourMs - 25 * 3_600_000, 25 * 60, { pm25: 20, pm10: 30, so2: 5, no2: 20, co: 0.4, o3: 60 });
    await waitFor(async () => seen.some((a) => a.stations.find((s) => s.site === 'air-yingeshi')?.aqi !== null), 20_000, 'aqi change');
    const last = seen.at(-1)!;
    expect(last.stations.find((s) => s.site === 'air-yingeshi')!.aqi).toBe(30); // PM10 30: 30; PM2.5 20: 28.6 → 29; O3 1 h 60: 18.75 → 19
    socket.close();
  });

  it('classifies water points and the plant in the site list', async () => {
    const c = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: 'aqi-test-water' });
    await c.publishAsync(siteTopic('sea-hekou', 'telemetry'), JSON.stringify({ values: { ph: 8.1, do_mgl: 7, cod_mgl: 2.5, din_mgl: 0.15, dip_mgl: 0.01, oil_mgl: 0.02 } }), { qos: 1 });
    await c.publishAsync(siteTopic('river-lingshuihe-upper', 'telemetry'), JSON.stringify({ values: { do_mgl: 6.5, codmn_mgl: 5, cod_mgl: 18, nh3n_mgl: 1.2, tp_mgl: 0.1, ph: 7.6 } }), { qos: 1 });
    await c.endAsync();
    type Site = { id: string; indicator: { type: string; roman?: string; zh?: string; meets_target?: boolean } | null };
    await waitFor(async () => (await api<Site[]>(ctx.t, token, '/api/sites?kind=seawater')).body.some((s) => s.indicator !== null), 20_000, 'sea indicator');
    await waitFor(async () => (await api<Site[]>(ctx.t, token, '/api/sites?kind=river')).body.some((s) => s.indicator !== null), 20_000, 'river indicator');
    const sea = (await api<Site[]>(ctx.t, token, '/api/sites?kind=seawater')).body.find((s) => s.id === 'sea-hekou')!;
    expect(sea.indicator).toMatchObject({ type: 'water_class', roman: 'II', zh: '第二类', meets_target: true });
    const river = (await api<Site[]>(ctx.t, token, '/api/sites?kind=river')).body.find((s) => s.id === 'river-lingshuihe-upper')!;
    expect(river.indicator).toMatchObject({ type: 'water_class', roman: 'IV', zh: 'Ⅳ类', meets_target: false }); // NH3-N 1.2 > 1.0
  });

  it('refuses bad ranges', async () => {
    expect((await api(ctx.t, token, '/api/aqi/daily?from=2026-11-10')).status).toBe(400);
    expect((await api(ctx.t, token, '/api/aqi/daily?from=2026-11-12&to=2026-11-10')).status).toBe(400);
    expect((await api(ctx.t, token, '/api/aqi/daily?from=2026-02-30&to=2026-03-02')).status).toBe(400);
    expect((await api(ctx.t, token, '/api/aqi/daily?from=2024-01-01&to=2026-01-01')).status).toBe(400);
    expect((await api(ctx.t, token, '/api/aqi/daily?from=2026-11-10&to=2026-11-11&site=pump-caidaling')).status).toBe(404);
  });
});
