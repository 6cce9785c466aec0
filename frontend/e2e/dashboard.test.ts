import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, api, login, makeTestEnv, startHub, type Hub, type TestEnv } from '../../backend/test/harness/hub-process.js';
import { launchChromium } from './browser.js';

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url));

let t: TestEnv;
let hub: Hub;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  t = await makeTestEnv();
  // Several sign-ins from one address within a minute: above the per-address sign-in limit.
  hub = await startHub(t, { SIMULATE: 'true', LOGIN_RATE_PER_MIN: '100' });
  // The duty room logs in as an operator, who may acknowledge but not manage.
  const admin = await login(t);
  await api(t, admin, '/api/users', { method: 'POST', body: JSON.stringify({ username: 'duty-op', password: 'Harbour-watch-2026', role: 'operator', must_change_password: false }) });
  browser = await launchChromium();
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

  it('shows management only to admins, who add a user, demote and disable one, and find it in the audit log', async () => {
    expect(await page.locator('.admin-link').count()).toBe(0);
    const adminPage = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    adminPage.on('pageerror', (err) => pageErrors.push(String(err)));
    await adminPage.goto(`${t.httpUrl}/login`);
    await adminPage.fill('input[name=username]', 'admin');
    await adminPage.fill('input[name=password]', ADMIN_PASSWORD);
    await adminPage.click('button[type=submit]');
    await adminPage.click('.admin-link');
    await adminPage.waitForSelector('[data-testid=admin] tr[data-user=duty-op]');

    // A new user who must choose their own password at first sign-in (ticked by default).
    expect(await adminPage.isChecked('input[name=new-must-change]')).toBe(true);
    await adminPage.fill('input[name=new-username]', 'night-shift');
    await adminPage.fill('input[name=new-password]', 'Night-watch-2026');
    await adminPage.selectOption('select[name=new-role]', 'operator');
    await adminPage.click('[data-testid=new-user] button[type=submit]');
    await adminPage.waitForSelector('tr[data-user=night-shift] .badge.warn', { timeout: 5000 });

    // Demoting the duty operator ends their session at once: their dashboard goes to the login.
    await adminPage.selectOption('tr[data-user=duty-op] select[name=role]', 'viewer');
    await adminPage.waitForSelector('[data-testid=users-admin] .done', { timeout: 5000 });
    await page.waitForSelector('[data-testid=signed-out]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid=signed-out]')).toBe('登录已失效，请重新登录');
    await adminPage.click('tr[data-user=duty-op] [data-action=toggle-disabled]');
    await adminPage.waitForSelector('tr[data-user=duty-op].disabled', { timeout: 5000 });

    await adminPage.selectOption('select[name=audit-action]', 'user.update');
    await adminPage.click('[data-testid=audit-log] form button[type=submit]');
    // The filtered list has come when it holds the two updates and nothing else (the unfiltered one holds them too).
    await adminPage.waitForFunction(
      () => document.querySelectorAll('[data-testid=audit-log] tr[data-action="user.update"]').length === 2 && document.querySelectorAll('[data-testid=audit-log] tr[data-audit]').length === 2,
      undefined,
      { timeout: 5000 },
    );
    const rows = await adminPage.locator('[data-testid=audit-log] tr[data-audit]').allTextContents();
    expect(rows[0]).toContain('修改用户');
    expect(rows[0]).toContain('duty-op（编号 ');
    // The request's fields in words, not its JSON.
    expect(rows[0]).toContain('停用 是');
    expect(rows[1]).toContain('角色 查看');
    expect(rows.every((r) => r.includes('admin') && r.includes('成功'))).toBe(true);
    await adminPage.close();
  });

  it('makes a user created with must-change choose a password before reaching the map', async () => {
    await page.fill('input[name=username]', 'night-shift');
    await page.fill('input[name=password]', 'Night-watch-2026');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=password-forced]');
    // Nothing else is reachable meanwhile.
    await page.goto(`${t.httpUrl}/`);
    await page.waitForSelector('[data-testid=password-forced]');
    await page.fill('input[name=current-password]', 'Night-watch-2026');
    await page.fill('input[name=new-password]', 'night-shift-2026');
    await page.fill('input[name=confirm-password]', 'night-shift-2026');
    await page.click('[data-testid=password-view] button[type=submit]');
    await page.waitForFunction(() => document.querySelector('[role=alert]')?.textContent?.includes('密码不能包含用户名'), undefined, { timeout: 5000 });
    await page.fill('input[name=new-password]', 'Harbour-watch-2026');
    await page.fill('input[name=confirm-password]', 'Harbour-watch-2026');
    await page.click('[data-testid=password-view] button[type=submit]');
    await page.waitForSelector('[data-testid=site-map]', { timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=connection]')?.textContent === '实时连接', undefined, { timeout: 15_000 });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
