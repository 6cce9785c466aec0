import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, login, makeTestEnv, startHub, TEST_USER_PASSWORD, type Hub, type TestEnv } from '../../backend/test/harness/hub-process.js';
import { launchChromium } from './browser.js';

let t: TestEnv;
let hub: Hub;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  t = await makeTestEnv();
  hub = await startHub(t);
  await addUser(t, await login(t), 'duty-op', 'operator');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await t?.cleanup();
});

const connection = (): Promise<string | null> => page.textContent('[data-testid=connection]');
const waitForConnection = (text: string, timeout: number): Promise<unknown> =>
  page.waitForFunction((want) => document.querySelector('[data-testid=connection]')?.textContent === want, text, { timeout });

describe('the dashboard after the hub is killed and restarted', () => {
  it('reconnects by itself, without a reload, and shows what happens after the restart', async () => {
    await page.goto(t.httpUrl);
    await page.fill('input[name=username]', 'duty-op');
    await page.fill('input[name=password]', TEST_USER_PASSWORD);
    await page.click('button[type=submit]');
    await waitForConnection('实时连接', 15_000);
    // A mark on this page's window: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    await hub.kill();
    await waitForConnection('连接中断', 10_000);
    hub = await startHub(t);
    const restartedAt = Date.now();
    await waitForConnection('实时连接', 15_000);
    const liveAfterMs = Date.now() - restartedAt;

    const device = await mqtt.connectAsync(t.mqttUrl, { clientId: `reconnect-${Date.now()}` });
    const sent = Date.now();
    await device.publishAsync(siteTopic('gas-hekou-riser', 'telemetry'), JSON.stringify({ ts: sent, values: { ch4_lel_pct: 64 } }), { qos: 1 });
    await device.endAsync();
    await page.locator('[data-testid=alerts-panel] li.alert.critical[data-site=gas-hekou-riser]').waitFor({ timeout: 5000 });
    console.log(`dashboard: live again ${liveAfterMs} ms after the restarted hub was healthy; a gas leak published then shown after ${Date.now() - sent} ms`);
    expect(await connection()).toBe('实时连接');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });
});
