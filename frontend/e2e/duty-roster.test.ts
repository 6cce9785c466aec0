import { siteTopic } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, addUser, api, login, makeTestEnv, startHub, TEST_USER_PASSWORD, waitFor, type Hub, type TestEnv } from '../../backend/test/harness/hub-process.js';
import { launchChromium, watchedPage } from './browser.js';

/** The duty roster in Chromium: who is on duty in the header, assigning and commenting on an alert, an admin adding a shift. */
let t: TestEnv;
let hub: Hub;
let browser: Browser;
let page: Page;
let admin: string;
let device: MqttClient;
const pageErrors: string[] = [];
const H = 3_600_000;
const SITE = 'gas-qixianling-valve';

async function signIn(username: string, password: string): Promise<void> {
  await page.goto(`${t.httpUrl}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=alerts-panel]');
}

beforeAll(async () => {
  t = await makeTestEnv();
  hub = await startHub(t);
  admin = await login(t);
  await addUser(t, admin, 'duty-op', 'operator');
  await addUser(t, admin, 'relief-op', 'operator');
  const now = Date.now();
  const shift = { area: 'gas', username: 'duty-op', position: 1, start_at: new Date(now - H).toISOString(), end_at: new Date(now + 8 * H).toISOString() };
  expect((await api(t, admin, '/api/roster', { method: 'POST', body: JSON.stringify(shift) })).status).toBe(201);
  browser = await launchChromium();
  page = await watchedPage(browser, pageErrors);
  device = await mqtt.connectAsync(t.mqttUrl, { clientId: 'duty-roster-e2e' });
});

afterAll(async () => {
  await device?.endAsync();
  await browser?.close();
  await hub?.stop();
  await t?.cleanup();
});

describe('the duty roster in a real browser', () => {
  it('shows who is on duty in the header; an alert opened over MQTT goes to them; an operator reassigns it and comments from the page', async () => {
    await signIn('duty-op', TEST_USER_PASSWORD);
    await page.waitForFunction(() => document.querySelector('[data-testid=on-duty] [data-area=gas]')?.textContent === '燃气 duty-op', undefined, { timeout: 10_000 });
    expect(await page.textContent('[data-testid=on-duty] [data-area=environment]')).toBe('环境 —');

    await device.publishAsync(siteTopic(SITE, 'telemetry'), JSON.stringify({ ts: Date.now(), values: { ch4_lel_pct: 62 } }), { qos: 1 });
    const item = `li.alert[data-site="${SITE}"]`;
    await page.waitForFunction((sel) => document.querySelector(`${sel} [data-testid=assignee]`)?.textContent === '负责人：duty-op', item, { timeout: 10_000 });
    const id = Number(await page.getAttribute(item, 'data-alert'));

    await page.click(`${item} [data-action=assign]`);
    await page.waitForSelector(`${item} select[name=assignee] option[value=relief-op]`, { state: 'attached' });
    await page.selectOption(`${item} select[name=assignee]`, 'relief-op');
    await page.fill(`${item} textarea[name=assign-note]`, '请到七贤岭阀门井');
    await page.click(`${item} [data-action=assign-submit]`);
    await page.waitForFunction((sel) => document.querySelector(`${sel} [data-testid=assignee]`)?.textContent === '负责人：relief-op', item, { timeout: 10_000 });

    await page.click(`${item} button.link:has-text("处理记录")`);
    await page.click(`${item} [data-action=comment]`);
    await page.fill(`${item} textarea[name=assign-note]`, '已通知燃气公司');
    await page.click(`${item} [data-action=assign-submit]`);
    await page.waitForFunction((sel) => document.querySelector(`${sel} ol.history`)?.textContent?.includes('已通知燃气公司'), item, { timeout: 10_000 });
    const history = await page.textContent(`${item} ol.history`);
    expect(history).toContain('指派 → duty-op（按值班表）');
    expect(history).toContain('指派 → relief-op · duty-op · 请到七贤岭阀门井');
    expect(history).toContain('批注 · duty-op · 已通知燃气公司');

    const full = (await api<{ assigned_to: string; history: { action: string; actor: string | null; note: string | null }[] }>(t, admin, `/api/alerts/${id}`)).body;
    expect(full.assigned_to).toBe('relief-op');
    expect(full.history.slice(-2).map((h) => [h.action, h.actor, h.note])).toEqual([
      ['assigned', 'duty-op', '请到七贤岭阀门井'],
      ['comment', 'duty-op', '已通知燃气公司'],
    ]);
  });

  it('lets an admin add a shift on the roster page, reached from the header', async () => {
    await page.click('button:has-text("退出")');
    await page.waitForURL('**/login');
    await signIn('admin', ADMIN_PASSWORD);
    await page.click('[data-testid=on-duty]');
    await page.waitForSelector('[data-testid=shift-form]');
    await page.waitForSelector('[data-shift]');
    expect(await page.textContent('[data-testid=roster] tbody')).toContain('duty-op');

    await page.selectOption('select[name=area]', 'pumps');
    await page.waitForSelector('select[name=username] option[value=relief-op]', { state: 'attached' });
    await page.selectOption('select[name=username]', 'relief-op');
    // Tomorrow's day shift in district time.
    const tomorrow = new Date(Date.now() + 8 * H + 24 * H).toISOString().slice(0, 10);
    await page.fill('input[name=start_at]', `${tomorrow}T08:00`);
    await page.fill('input[name=end_at]', `${tomorrow}T16:00`);
    await page.fill('input[name=note]', '白班');
    await page.click('[data-action=save-shift]');
    await page.waitForFunction(() => document.querySelector('[data-testid=roster-message]')?.textContent === '已保存', undefined, { timeout: 10_000 });
    await waitFor(async () => (await page.$$('[data-shift]')).length === 2, 10_000, 'the new shift listed');
    const row = await page.textContent('tr[data-shift]:last-child');
    expect(row).toContain(`${tomorrow} 08:00`);
    expect(row).toContain('泵站');
    expect(row).toContain('relief-op');

    const roster = (await api<{ shifts: { area: string; username: string; start_at: string; end_at: string; note: string }[] }>(t, admin, '/api/roster')).body.shifts;
    expect(roster.find((s) => s.area === 'pumps')).toMatchObject({ username: 'relief-op', start_at: new Date(`${tomorrow}T00:00:00Z`).toISOString(), end_at: new Date(`${tomorrow}T08:00:00Z`).toISOString(), note: '白班' });
    expect(pageErrors).toEqual([]);
  });
});
