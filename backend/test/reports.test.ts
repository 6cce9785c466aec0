import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { siteTopic } from '@tidewatch/contracts';
import ExcelJS from 'exceljs';
import mqtt from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, waitFor, withDb, addUser } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

const ctx = useHub();
let admin: string;
let viewer: string;

type Values = Record<string, number>;
const MIN = 60_000;
const at = (date: string, hh = '00:00'): number => Date.parse(`${date}T${hh}:00+08:00`);

/** Readings every `stepMin` minutes from `startMs` for `minutes`, as batch payloads over the real broker (QoS 1). */
async function publishReadings(c: mqtt.MqttClient, site: string, startMs: number, minutes: number, stepMin: number, values: Values): Promise<number> {
  const readings = Array.from({ length: Math.floor(minutes / stepMin) }, (_, i) => ({ ts: startMs + i * stepMin * MIN, values }));
  for (let i = 0; i < readings.length; i += 400) {
    await c.publishAsync(siteTopic(site, 'telemetry'), JSON.stringify({ readings: readings.slice(i, i + 400) }), { qos: 1 });
  }
  return readings.length * Object.keys(values).length;
}

async function publishEvent(c: mqtt.MqttClient, site: string, ts: number, type: string, data: object): Promise<void> {
  await c.publishAsync(siteTopic(site, 'events'), JSON.stringify({ ts, type, data }), { qos: 1 });
}

const AIR_A: Values = { pm25: 80, pm10: 100, so2: 10, no2: 30, co: 0.8, o3: 100 }; // AQI 119
const AIR_B: Values = { pm25: 40, pm10: 60, so2: 10, no2: 30, co: 0.8, o3: 100 };
const AIR_CLEAN: Values = { pm25: 20, pm10: 40, so2: 8, no2: 20, co: 0.5, o3: 60 };
const EFFLUENT: Values = { cod_mgl: 28, nh3n_mgl: 1.2, tn_mgl: 9, tp_mgl: 0.25, ss_mgl: 6, ph: 7.1, water_temp_c: 20, flow_m3h: 2400 };
const SEA_GOOD: Values = { ph: 8.1, do_mgl: 7.2, cod_mgl: 1.2, din_mgl: 0.12, dip_mgl: 0.01, oil_mgl: 0.02 };

async function stored(): Promise<{ readings: number; events: number }> {
  return withDb(ctx.t, async (c) => {
    const r = await c.query<{ readings: number; events: number }>(`SELECT (SELECT count(*) FROM reading)::int AS readings, (SELECT count(*) FROM event)::int AS events`);
    return r.rows[0]!;
  });
}

async function archivedMonths(): Promise<string[]> {
  return withDb(ctx.t, async (c) => (await c.query<{ month: string }>('SELECT month FROM report ORDER BY month')).rows.map((r) => r.month));
}

async function fetchReport(month: string, query: string, token = admin): Promise<Response> {
  return fetch(`${ctx.t.httpUrl}/api/reports/monthly/${month}${query}`, { headers: { authorization: `Bearer ${token}` } });
}

interface Report {
  month: string;
  complete: boolean;
  air: { standard: string; district: { valid_days: number; good_days: number; good_days_ratio: number; daily: { date: string; aqi: number | null; primary: string[] }[] }; stations: { site: string; valid_days: number; good_days: number }[] };
  water: { wwtp: { site: string; judged_days: number; compliant_days: number; compliance_ratio: number; exceedance_days: number; exceedances: { date: string; params: string[] }[] }[]; sea: { good_ratio: number; point_days: number } };
  safety: { fishing_ports: { inspections: number; failed_inspections: number; hazards: number; rectified: number; departures: number } };
  alerts: { total: number };
  completeness: { min_valid_days: number; stations: { site: string; kind: string; interval_s: number; expected: number; received: number; valid: number; valid_days: number; valid_month: boolean }[] };
}

beforeAll(async () => {
  admin = await login(ctx.t);
  viewer = await addUser(ctx.t, admin, 'bureau-viewer', 'viewer');

  // September 2026, published through the broker as devices would.
  const c = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: 'report-test-publisher' });
  let readings = 0;
  readings += await publishReadings(c, 'air-hekou', at('2026-09-10'), 1440, 1, AIR_A);
  readings += await publishReadings(c, 'air-lingshui', at('2026-09-10'), 1440, 1, AIR_B);
  readings += await publishReadings(c, 'air-hekou', at('2026-09-11'), 1440, 1, AIR_CLEAN);
  readings += await publishReadings(c, 'wwtp-hekou', at('2026-09-10'), 1440, 10, EFFLUENT);
  readings += await publishReadings(c, 'wwtp-hekou', at('2026-09-11'), 1440, 10, { ...EFFLUENT, cod_mgl: 62 });
  readings += await publishReadings(c, 'sea-lingshuiwan', at('2026-09-10'), 1440, 60, SEA_GOOD);
  const port = 'port-longwangtang';
  await publishEvent(c, port, at('2026-09-10', '08:00'), 'inspection', { vessel: '辽大甘渔 1', result: 'pass', hazards: [] });
  await publishEvent(c, port, at('2026-09-10', '09:00'), 'inspection', { vessel: '辽大甘渔 2', result: 'fail', hazards: ['life-jackets', 'fire-extinguisher'] });
  await publishEvent(c, port, at('2026-09-10', '10:00'), 'inspection', { vessel: '辽大甘渔 3', result: 'pass', hazards: [] });
  await publishEvent(c, port, at('2026-09-12', '10:00'), 'rectified', { vessel: '辽大甘渔 2', hazard: 'life-jackets' });
  await publishEvent(c, port, at('2026-09-10', '06:00'), 'departure', { vessel: '辽大甘渔 1' });
  await publishEvent(c, port, at('2026-09-10', '06:10'), 'departure', { vessel: '辽大甘渔 3' });
  await publishEvent(c, 'pump-lingshuiwan-1', at('2026-09-10', '12:00'), 'pump_fault', { pump: 2, code: 'E07' });
  await c.endAsync();
  // With an external broker the acknowledgement comes from the broker, not the hub: wait until all is stored.
  await waitFor(async () => {
    const s = await stored();
    return s.readings === readings && s.events === 7;
  }, 60_000, 'the month stored');
}, 120_000);

describe('the monthly report', () => {
  it('computes a finished month’s figures from what devices published, and archives them', async () => {
    const res = await fetchReport('2026-09', '');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const r = (await res.json()) as Report;
    expect(r).toMatchObject({ month: '2026-09', complete: true });
    expect(r.air.standard).toBe('HJ 633-2026');
    // 09-10: the district mean (PM2.5 60) → AQI 100, good; 09-11: one clean station.
    expect(r.air.district).toMatchObject({ valid_days: 2, good_days: 2, good_days_ratio: 1 });
    expect(r.air.district.daily).toHaveLength(30);
    expect(r.air.district.daily[9]).toMatchObject({ date: '2026-09-10', aqi: 100, primary: ['pm25'] });
    expect(r.air.stations.find((s) => s.site === 'air-hekou')).toMatchObject({ valid_days: 2, good_days: 1 });
    expect(r.water.wwtp[0]).toMatchObject({ site: 'wwtp-hekou', judged_days: 2, compliant_days: 1, compliance_ratio: 0.5, exceedance_days: 1, exceedances: [{ date: '2026-09-11', params: ['cod_mgl'] }] });
    expect(r.water.sea).toMatchObject({ point_days: 1, good_ratio: 1 });
    expect(r.safety.fishing_ports).toMatchObject({ inspections: 3, failed_inspections: 1, hazards: 2, rectified: 1, departures: 2 });
    // Data completeness: its 6 pollutants every minute of 30 days expected, 2 whole days of them received.
    expect(r.completeness.min_valid_days).toBe(27);
    expect(r.completeness.stations.find((s) => s.site === 'air-hekou')).toMatchObject({ kind: 'air', interval_s: 60, expected: 30 * 1440 * 6, received: 2 * 1440 * 6, valid: 2 * 1440 * 6, valid_days: 2, valid_month: false });
    expect(r.completeness.stations.map((s) => s.kind)).toEqual(expect.arrayContaining(['air', 'wwtp', 'river', 'seawater']));
    expect(await archivedMonths()).toContain('2026-09');
  });

  it('does not archive a past month without any data, so a later backfill still counts', async () => {
    // The test database holds no data for last month; the hub checked it at start.
    const local = new Date(Date.now() + 8 * 3_600_000);
    const last = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const r = (await (await fetchReport(last, '')).json()) as Report & { has_data: boolean };
    expect(r.has_data).toBe(false);
    expect(await archivedMonths()).not.toContain(last);
    const september = (await (await fetchReport('2026-09', '')).json()) as Report & { has_data: boolean };
    expect(september.has_data).toBe(true);
  });

  it('serves an archived month unchanged until an admin regenerates it', async () => {
    const c = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: 'report-test-late' });
    const late = await publishReadings(c, 'wwtp-hekou', at('2026-09-12'), 1440, 10, EFFLUENT);
    await c.endAsync();
    await waitFor(async () => {
      const n = await withDb(ctx.t, async (db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reading WHERE time >= $1`, [new Date(at('2026-09-12'))])).rows[0]!.n);
      return n === late;
    }, 30_000, 'late data stored');
    const archived = (await (await fetchReport('2026-09', '')).json()) as Report;
    expect(archived.water.wwtp[0]!.judged_days).toBe(2);
    const refused = await api(ctx.t, viewer, '/api/reports/monthly/2026-09/regenerate', { method: 'POST' });
    expect(refused.status).toBe(403);
    const regenerated = await api<Report>(ctx.t, admin, '/api/reports/monthly/2026-09/regenerate', { method: 'POST' });
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.water.wwtp[0]).toMatchObject({ judged_days: 3, compliant_days: 2 });
    const after = (await (await fetchReport('2026-09', '', viewer)).json()) as Report;
    expect(after.water.wwtp[0]!.judged_days).toBe(3);
    const by = await withDb(ctx.t, async (db) => (await db.query<{ generated_by: string }>(`SELECT generated_by FROM report WHERE month = '2026-09'`)).rows);
    expect(by).toEqual([{ generated_by: 'admin' }]);
  });

  it('renders html, csv, xlsx and pdf from the same figures, in Chinese by default and in English', async () => {
    const html = await fetchReport('2026-09', '?format=html');
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    const page = await html.text();
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('大连高新区 环境质量与公共安全月报');
    expect(page).toContain('2026年9月');
    expect(page).toContain('河口污水处理厂');
    expect(await (await fetchReport('2026-09', '?format=html&lang=en')).text()).toContain('<html lang="en">');

    const csv = await fetchReport('2026-09', '?format=csv&lang=en');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="tidewatch-report-2026-09-en.csv"');
    const csvText = await csv.text();
    expect(csvText).toContain('Hekou wastewater treatment plant,3,2,66.7,1,');
    expect(csvText).toContain('# Data completeness');
    expect(csvText).toMatch(/These stations have fewer valid days than the month's validity rule \(27\): .*\(2 days\)/);

    const xlsx = await fetchReport('2026-09', '?format=xlsx');
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const summary = wb.getWorksheet('概况')!;
    const rows = summary.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.some((r) => r[1] === '有效天数' && r[2] === '2')).toBe(true);

    const pdf = await fetchReport('2026-09', '?format=pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'tw-report-'));
    writeFileSync(join(dir, 'r.pdf'), Buffer.from(await pdf.arrayBuffer()));
    // poppler's pdftotext reads the text back: the Chinese font is embedded and mapped.
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('环境质量与公共安全月报');
    expect(text).toContain('2026年9月');
    expect(text).toContain('河口污水处理厂');
    expect(text).toMatch(/优良天数比例\s+100\.0%/);
  });

  it('renders off the event loop: one viewer’s 30 parallel PDFs leave health fast, past 2 in flight answer 429, a repeat comes from the cache', async () => {
    // A regeneration drops the month's rendered documents: every PDF below must be rendered anew.
    expect((await api(ctx.t, admin, '/api/reports/monthly/2026-09/regenerate', { method: 'POST' })).status).toBe(200);
    const health: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t0 = performance.now();
        const res = await fetch(`${ctx.t.httpUrl}/api/health`);
        await res.arrayBuffer();
        health.push(performance.now() - t0);
        expect(res.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const langs = Array.from({ length: 30 }, (_, i) => (i % 2 ? 'en' : 'zh'));
    const answers = await Promise.all(
      langs.map(async (lang) => {
        const res = await fetchReport('2026-09', `?format=pdf&lang=${lang}`, viewer);
        return { lang, status: res.status, cache: res.headers.get('x-report-cache'), retryAfter: res.headers.get('retry-after'), body: Buffer.from(await res.arrayBuffer()) };
      }),
    );
    polling = false;
    await poller;
    // Rendering on the event loop holds health answers for as long as the PDFs take (1.5–2 s here).
    expect(Math.max(...health), `health answers (ms): ${health.map((h) => h.toFixed(0)).join(' ')}`).toBeLessThan(1000);
    expect(health.length).toBeGreaterThanOrEqual(5);

    expect(answers.every((a) => a.status === 200 || a.status === 429), JSON.stringify(answers.map((a) => a.status))).toBe(true);
    const rendered = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(rendered.length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeGreaterThanOrEqual(20);
    for (const a of rendered) expect(a.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(rendered.filter((a) => a.cache === 'miss').length).toBeGreaterThanOrEqual(1);
    for (const a of refused) {
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(a.body.toString('utf8')).message).toMatch(/at most 2 report documents are rendered at a time per user; retry in \d+ s/);
    }

    const first = rendered[0]!;
    const again = await fetchReport('2026-09', `?format=pdf&lang=${first.lang}`, viewer);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-report-cache')).toBe('hit');
    expect(Buffer.from(await again.arrayBuffer()).equals(first.body)).toBe(true);
  });

  it('reports the running month as incomplete and does not archive it', async () => {
    const now = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const r = (await (await fetchReport(now, '')).json()) as Report;
    expect(r).toMatchObject({ month: now, complete: false });
    expect(await archivedMonths()).not.toContain(now);
  });

  it('refuses bad months, formats and parameters with a clear error, and anonymous callers', async () => {
    for (const [path, status] of [
      ['/api/reports/monthly/2026-13', 400],
      ['/api/reports/monthly/26-09', 400],
      ['/api/reports/monthly/2099-01', 404],
      ['/api/reports/monthly/2026-09?format=doc', 400],
      ['/api/reports/monthly/2026-09?lang=fr', 400],
      ['/api/reports/monthly/2026-09?colour=red', 400],
    ] as const) {
      const res = await api<{ message: unknown }>(ctx.t, admin, path);
      expect(res.status, path).toBe(status);
      expect(JSON.stringify(res.body.message), path).toBeTruthy();
    }
    expect((await fetch(`${ctx.t.httpUrl}/api/reports/monthly/2026-09`)).status).toBe(401);
  });
});
