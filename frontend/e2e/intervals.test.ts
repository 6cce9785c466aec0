import { mkdirSync } from 'node:fs';
import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, api, login, makeTestEnv, startHub, waitFor, type Hub, type TestEnv } from '../../backend/test/harness/hub-process.js';
import { launchChromium } from './browser.js';

/** Where the layout screenshots go (looked at by hand: desktop and phone). */
const SHOTS = process.env.UI_SHOTS_DIR ?? '/tmp/ui-shots';
const SITE = 'air-hekou';
const STEP_MS = 300_000;

let t: TestEnv;
let hub: Hub;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** The shared broker of the other tests, given back when this file is done (the worker process may run them). */
const sharedBroker = process.env.MQTT_URL;

/** Two and a half hours of 5-minute readings of every pollutant, oldest first, ending now. */
async function publishFiveMinuteReadings(): Promise<number> {
  const end = Math.floor(Date.now() / STEP_MS) * STEP_MS;
  const readings = Array.from({ length: 31 }, (_, i) => ({
    ts: end - (30 - i) * STEP_MS,
    values: { pm25: 30 + (i % 5), pm10: 60, so2: 8, no2: 30, co: 0.6, o3: 70 },
  }));
  const device = await mqtt.connectAsync(t.mqttUrl, { clientId: 'e2e-intervals' });
  await device.publishAsync(siteTopic(SITE, 'telemetry'), JSON.stringify({ readings }), { qos: 1 });
  await device.endAsync();
  return readings.length;
}

async function noSidewaysOverflow(selector: string): Promise<void> {
  const box = await page.locator(selector).evaluate((el) => ({ right: el.getBoundingClientRect().right, scroll: el.scrollWidth, client: el.clientWidth, width: window.innerWidth }));
  expect(box.right).toBeLessThanOrEqual(box.width);
  expect(box.scroll).toBeLessThanOrEqual(box.client);
}

async function shoot(name: string, width: number, height: number, focus: string): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.locator(focus).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/${name}-${width}.png` });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // The hub's own (embedded) broker, not a shared one: devices of tests running beside this one
  // would publish to the same stations and change the cadence learned and the readings counted.
  delete process.env.MQTT_URL;
  t = await makeTestEnv();
  hub = await startHub(t);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
});

afterAll(async () => {
  try {
    await browser?.close();
    await hub?.stop();
    await t?.cleanup();
  } finally {
    if (sharedBroker !== undefined) process.env.MQTT_URL = sharedBroker;
  }
});

describe('reporting intervals and completeness in a real browser', () => {
  it('learns a 5-minute cadence from readings published through the broker and shows it with the days’ completeness in the site drawer', async () => {
    const admin = await login(t);
    const sent = await publishFiveMinuteReadings();
    // The hub saves what it learned every 30 s.
    await waitFor(async () => (await api<{ reporting_interval: { source: string } }>(t, admin, `/api/sites/${SITE}`)).body.reporting_interval.source === 'learned', 75_000, 'the learned interval');

    await page.goto(`${t.httpUrl}/login`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.click(`[data-testid=air-panel] button:has-text("河口空气站")`, { timeout: 15_000 });
    const interval = page.locator('[data-testid=site-drawer] [data-testid=reporting-interval]');
    await interval.waitFor({ timeout: 10_000 });
    expect(await interval.textContent()).toBe('上报间隔 5 分钟（自动识别）');

    const rows = page.locator('[data-testid=site-completeness] tbody tr');
    expect(await rows.count()).toBe(7);
    // Every reading of the days shown arrived: six pollutants (and nothing of the weather) in each report.
    const counts = await page.locator('[data-testid=site-completeness] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => Number(tr.querySelectorAll('td')[2]?.textContent)),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(sent * 6);
    // Days without data are marked: under 75 % valid hours.
    expect(await page.locator('[data-testid=site-completeness] tbody tr.low').count()).toBeGreaterThanOrEqual(5);

    await shoot('drawer', 1366, 768, '[data-testid=site-completeness]');
    await noSidewaysOverflow('[data-testid=site-drawer]');
    await shoot('drawer', 390, 844, '[data-testid=site-completeness]');
    await noSidewaysOverflow('[data-testid=site-drawer]');
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('lets an admin set the interval on the administration page, after a confirmation, and shows it as set', async () => {
    await page.click('.admin-link');
    const row = page.locator(`[data-testid=intervals-admin] tr[data-site=${SITE}]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-field=source]').textContent()).toBe('自动识别');
    await row.locator('[data-action=set-interval]').click();
    await page.selectOption('select[name=cadence]', '600');
    expect(await page.textContent('[data-testid=interval-confirmation]')).toContain('将“河口空气站”的上报间隔设为 10 分钟：该站已存储的各小时数据将立即按新间隔重新判定是否有效');
    await shoot('admin-confirm', 1366, 768, '[data-testid=interval-form]');
    await shoot('admin-confirm', 390, 844, '[data-testid=interval-form]');
    await noSidewaysOverflow('[data-testid=admin] main');
    await page.setViewportSize({ width: 1366, height: 768 });

    await page.click('[data-action=confirm-interval]');
    await page.waitForFunction((site) => document.querySelector(`[data-testid=intervals-admin] tr[data-site=${site}] [data-field=source]`)?.textContent === '已设定', SITE, { timeout: 10_000 });
    expect(await row.textContent()).toContain('10 分钟');
    expect(await page.textContent('[data-testid=intervals-admin] [role=status]')).toContain('已重新判定');
    await shoot('admin-set', 1366, 768, '[data-testid=intervals-admin]');
    await shoot('admin-set', 390, 844, '[data-testid=intervals-admin]');

    // The hub holds it too, and the drawer says so.
    const admin = await login(t);
    expect((await api<{ reporting_interval: unknown }>(t, admin, `/api/sites/${SITE}`)).body.reporting_interval).toEqual({ seconds: 600, source: 'set' });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.click('[data-testid=admin] a[href="/"]');
    await page.click(`[data-testid=air-panel] button:has-text("河口空气站")`, { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=reporting-interval]')?.textContent === '上报间隔 10 分钟（已设定）', undefined, { timeout: 10_000 });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
