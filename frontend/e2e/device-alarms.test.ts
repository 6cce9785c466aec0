import { siteTopic } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, login, TEST_USER_PASSWORD } from '../../backend/test/harness/hub-process.js';
import { useHub } from '../../backend/test/use-hub.js';
import { launchChromium, signIn } from './browser.js';

declare global {
  interface Window {
    /** Wall-clock times at which the page started an alarm tone (set up by the test). */
    rings: number[];
  }
}

const ctx = useHub();
let browser: Browser;
let page: Page;
let device: MqttClient;
const pageErrors: string[] = [];

beforeAll(async () => {
  const { t } = ctx;
  await addUser(t, await login(t), 'alarm-desk', 'operator');
  device = await mqtt.connectAsync(t.mqttUrl, { clientId: 'e2e-device-alarms' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  // Each tone of the alarm starts an oscillator: record when, to tell ringing from silence.
  await page.addInitScript(() => {
    window.rings = [];
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      window.rings.push(Date.now());
      return create.call(this);
    };
  });
  await signIn(page, t.httpUrl, 'alarm-desk', TEST_USER_PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await device?.endAsync();
});

const rings = (): Promise<number> => page.evaluate(() => window.rings.length);

describe('device alarms in the duty room', () => {
  it('a gas detector’s own second-level alarm rings and flashes within a second', async () => {
    const site = 'gas-yingeshi-regulator';
    const sent = Date.now();
    await device.publishAsync(siteTopic(site, 'events'), JSON.stringify({ ts: sent, type: 'gas_alarm', data: { level: 2 } }), { qos: 1 });
    await page.waitForFunction(() => window.rings.length > 0, undefined, { timeout: 3000 });
    const rang = await page.evaluate(() => window.rings[0]!);
    console.log(`gas_alarm → alarm tone after ${rang - sent} ms`);
    expect(rang - sent).toBeLessThan(1000);
    const item = page.locator(`[data-testid=alerts-panel] li.alert.critical.fresh[data-site=${site}]`);
    await item.waitFor({ timeout: 1000 });
    expect(await item.textContent()).toContain('紧急');
  });

  it('asks before resolving the alarm while it still holds, and resolves once confirmed', async () => {
    const item = page.locator('[data-testid=alerts-panel] li.alert[data-site=gas-yingeshi-regulator]');
    await item.locator('[data-action=resolve]').click();
    await item.locator('textarea[name=note]').fill('现场检查中');
    await item.locator('[data-action=submit]').click();
    await item.locator('p.confirm').waitFor({ timeout: 5000 });
    expect(await item.locator('p.confirm').textContent()).toContain('告警条件仍然存在');
    expect(await item.locator('[data-action=submit]').textContent()).toBe('仍然解决');
    await item.locator('[data-action=submit]').click();
    await item.waitFor({ state: 'detached', timeout: 5000 });
  });

  it('an alert from a backfilled reading of yesterday is listed as historical, without sound or flashing', async () => {
    const before = await rings();
    await device.publishAsync(siteTopic('gas-hekou-riser', 'telemetry'), JSON.stringify({ ts: Date.now() - 86_400_000, values: { ch4_lel_pct: 60 } }), { qos: 1 });
    const item = page.locator('[data-testid=alerts-panel] li.alert.critical[data-site=gas-hekou-riser]');
    await item.waitFor({ timeout: 5000 });
    expect(await item.locator('.historical').textContent()).toBe('历史数据');
    expect(await item.getAttribute('class')).not.toContain('fresh');
    // The live event has been applied: give a tone the time it would have taken.
    await page.waitForTimeout(500);
    expect(await rings()).toBe(before);
    expect(pageErrors).toEqual([]);
  });
});
