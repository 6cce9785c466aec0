import { siteTopic } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, makeTestEnv, startHub, withDb, type Hub, type TestEnv } from '../../backend/test/harness/hub-process.js';
import { launchChromium } from './browser.js';

const EXTRA = 1967; // with the district's 32 and one created through the API: 2,000 sites
const TRACE_MS = 10_000;

let t: TestEnv;
let hub: Hub;
let browser: Browser;
let publishers: MqttClient[] = [];
let timer: NodeJS.Timeout | null = null;
const ids: string[] = [];

beforeAll(async () => {
  t = await makeTestEnv();
  hub = await startHub(t);
  // Many virtual gas points spread over the district, written straight to the registry table.
  await withDb(t, async (c) => {
    for (let i = 0; i < EXTRA; i++) ids.push(`perf-gas-${i}`);
    await c.query(
      `INSERT INTO site (id, kind, name_zh, name_en, lat, lon, params)
       SELECT id, 'gas_point', '压测燃气点' || n, 'Load-test gas point ' || n, 38.80 + (n % 50) * 0.002, 121.38 + (n / 50) * 0.004, '{"pressure_band_kpa":[1.5,10]}'
       FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)`,
      [ids],
    );
  });
  const admin = await login(t);
  // Creating one more site through the API makes the hub reload its registry now.
  await api(t, admin, '/api/sites', { method: 'POST', body: JSON.stringify({ id: 'perf-gas-last', kind: 'gas_point', name_zh: '压测燃气点', name_en: 'Load-test gas point', lat: 38.85, lon: 121.5 }) });
  ids.push('perf-gas-last');
  for (const s of ['gas-lingshui-regulator', 'gas-qixianling-valve', 'gas-hekou-riser', 'gas-xiaopingdao-household', 'gas-yingeshi-regulator', 'gas-huangnichuan-park']) ids.push(s);
  publishers = await Promise.all([0, 1, 2, 3].map((k) => mqtt.connectAsync(t.mqttUrl, { clientId: `perf-pub-${k}` })));
  // Every site reports every second.
  let round = 0;
  const publishRound = (): void => {
    round++;
    const ts = Date.now();
    ids.forEach((id, i) => {
      const payload = JSON.stringify({ ts, values: { ch4_lel_pct: ((i + round) % 10) / 10, pressure_kpa: 5 + ((i + round) % 7) / 10 } });
      publishers[i % publishers.length]!.publish(siteTopic(id, 'telemetry'), payload, { qos: 0 });
    });
  };
  publishRound();
  timer = setInterval(publishRound, 1000);
  browser = await launchChromium();
});

afterAll(async () => {
  if (timer) clearInterval(timer);
  await Promise.all(publishers.map((p) => p.endAsync()));
  await browser?.close();
  await hub?.stop();
  await t?.cleanup();
});

describe('the dashboard with 2,000 sites updating every second', () => {
  it('is usable within seconds of load (figure printed) and has no long tasks in a 10-second trace', async () => {
    const token = await login(t);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    let frames = 0;
    page.on('websocket', (ws) => ws.on('framereceived', () => frames++));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // Logged in already: the token is where the dashboard keeps it.
    await page.addInitScript((tk) => sessionStorage.setItem('tidewatch.token', tk), token);
    const started = Date.now();
    await page.goto(t.httpUrl);
    await page.waitForFunction(() => document.querySelector('[data-testid=site-count]')?.textContent?.includes('2000 '), undefined, { timeout: 10_000 });
    await page.waitForSelector('.marker-cluster, .tw-marker');
    const usableMs = Date.now() - started;
    console.log(`first screen with 2000 sites usable after ${usableMs} ms`);

    // Let the first render settle, then trace long tasks while updates stream in.
    await page.waitForTimeout(2000);
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const framesBefore = frames;
    await page.waitForTimeout(TRACE_MS);
    const received = frames - framesBefore;
    const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
    console.log(`long tasks in ${TRACE_MS / 1000} s: ${long.length} (${long.map((d) => d.toFixed(0)).join(', ') || 'none'}); ${received} live messages received`);
    // The page really was under load: about one update per site per second.
    expect(received).toBeGreaterThan(TRACE_MS / 1000 * 1000);
    expect(long).toEqual([]);
    // The target is 2 s (1.4–1.5 s measured on a quiet 2-core machine); the bound only catches a
    // gross regression, since a machine busy with other work has measured up to 2.2 s.
    expect(usableMs).toBeLessThan(3000);
    expect(errors).toEqual([]);
  });
});
