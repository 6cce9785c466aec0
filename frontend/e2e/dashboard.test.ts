import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, makeTestEnv, startHub, type Hub, type TestEnv } from '../../backend/src/dev/hub-process.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url));

let t: TestEnv;
let hub: Hub;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  t = await makeTestEnv();
  hub = await startHub(t, { SIMULATE: 'true' });
  // The duty room logs in as an operator, who may acknowledge but not manage.
  const admin = await login(t);
  await api(t, admin, '/api/users', { method: 'POST', body: JSON.stringify({ username: 'duty-op', password: 'Harbour-watch-2026', role: 'operator', must_change_password: false }) });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await t?.cleanup();
});

describe('the dashboard in a real browser', () => {
  it('speaks Chinese by default and logs in', async () => {
    await page.goto(t.httpUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.waitForSelector('input[name=username]');
    expect(await page.textContent('.login h1')).toContain('高新区环境与安全监测');
    await page.fill('input[name=username]', 'duty-op');
    await page.fill('input[name=password]', 'Harbour-watch-2026');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=site-map]');
  });

  it('shows every site on the map, live', async () => {
    await page.waitForFunction(() => document.querySelector('[data-testid=site-count]')?.textContent?.includes('32 个监测点'), undefined, { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=connection]')?.textContent === '实时连接', undefined, { timeout: 15_000 });
    // Every device reports within seconds of starting: then no marker is grey (offline).
    await page.waitForFunction(() => document.querySelectorAll('.tw-marker').length > 0 && document.querySelectorAll('.tw-marker.tw-offline').length === 0, undefined, { timeout: 30_000 });
    // Markers on their own plus the sites counted inside clusters.
    const markers = await page.locator('.tw-marker').count();
    const clusters = await page.locator('.marker-cluster').evaluateAll((els) => els.reduce((n, el) => n + Number(el.textContent ?? 0), 0));
    expect(markers + clusters).toBe(32);
    const body = await page.textContent('body');
    for (const word of ['告警', '空气质量', '全区']) expect(body).toContain(word);
  });

  it('shows a gas leak published through the broker in the alerts panel within 3 seconds; an operator acknowledges it', async () => {
    const device = await mqtt.connectAsync(t.mqttUrl, { clientId: 'e2e-leak' });
    const sent = Date.now();
    await device.publishAsync(siteTopic('gas-hekou-riser', 'telemetry'), JSON.stringify({ ts: sent, values: { ch4_lel_pct: 64 } }), { qos: 1 });
    await device.endAsync();
    const item = page.locator('[data-testid=alerts-panel] li.alert.critical[data-site=gas-hekou-riser]');
    await item.waitFor({ timeout: 3000 });
    const elapsed = Date.now() - sent;
    console.log(`gas leak visible in the alerts panel after ${elapsed} ms`);
    expect(elapsed).toBeLessThan(3000);
    expect(await item.textContent()).toContain('紧急');
    // The site turns red on the map (alarm) with its alert.
    await page.waitForSelector('.tw-marker.tw-alarm', { timeout: 5000 });
    await page.screenshot({ path: SCREENSHOT });

    await item.locator('[data-action=ack]').click();
    await item.locator('textarea[name=note]').fill('已通知燃气公司抢修');
    await item.locator('[data-action=submit]').click();
    await page.waitForFunction(() => document.querySelector('li.alert.critical[data-site=gas-hekou-riser] .state')?.textContent?.includes('已确认'), undefined, { timeout: 5000 });

    // The riser's popup shows its newest values and follows them while it is open.
    await page.click('.tw-marker.tw-alarm');
    const popup = page.locator('.leaflet-popup-content .tw-popup');
    await popup.waitFor({ timeout: 5000 });
    expect(await popup.textContent()).toContain('64');
    const again = await mqtt.connectAsync(t.mqttUrl, { clientId: 'e2e-leak-2' });
    await again.publishAsync(siteTopic('gas-hekou-riser', 'telemetry'), JSON.stringify({ ts: Date.now(), values: { ch4_lel_pct: 71.5 } }), { qos: 1 });
    await again.endAsync();
    await page.waitForFunction(() => document.querySelector('.leaflet-popup-content .tw-popup')?.textContent?.includes('71.5'), undefined, { timeout: 5000 });
    await page.keyboard.press('Escape');
  });

  it('shows the goals board', async () => {
    await page.click('[data-tab=goals]');
    await page.waitForSelector('[data-testid=goals-board] article.goal[data-goal=ebike]', { timeout: 10_000 });
    expect(await page.locator('[data-testid=goals-board] article.goal').count()).toBe(7);
    expect(await page.textContent('[data-testid=goals-board]')).toContain('优良天数比例');
    await page.click('[data-tab=alerts]');
  });

  it('shows the monthly report and downloads it as a PDF', async () => {
    await page.click('[data-tab=report]');
    await page.waitForSelector('[data-testid=report-summary]', { timeout: 10_000 });
    expect(await page.textContent('[data-testid=report-panel]')).toContain('环境质量月报');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.click('[data-format=pdf]')]);
    expect(download.suggestedFilename()).toMatch(/^tidewatch-report-\d{4}-\d{2}-zh\.pdf$/);
    const file = await download.path();
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await page.click('[data-tab=alerts]');
  });

  it('shows management only to admins, who can add a user there', async () => {
    expect(await page.locator('.admin-link').count()).toBe(0);
    const adminPage = await browser.newPage();
    adminPage.on('pageerror', (err) => pageErrors.push(String(err)));
    await adminPage.addInitScript((tk) => sessionStorage.setItem('tidewatch.token', tk), await login(t));
    await adminPage.goto(`${t.httpUrl}/admin`);
    await adminPage.waitForSelector('[data-testid=admin] table tr');
    await adminPage.fill('input[name=new-username]', 'night-shift');
    await adminPage.fill('input[name=new-password]', 'Night-watch-2026');
    await adminPage.selectOption('select[name=new-role]', 'operator');
    await adminPage.click('[data-testid=admin] form button[type=submit]');
    await adminPage.waitForFunction(() => document.querySelector('[data-testid=admin]')?.textContent?.includes('night-shift'), undefined, { timeout: 5000 });
    await adminPage.close();
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
