/**
 * The header shows when the hub reports a part down, though the live socket stays up: here
 * the hub's external MQTT broker (a private Mosquitto) stops and comes back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeTestEnv, startHub, waitFor, type Hub, type TestEnv } from '../../backend/test/harness/hub-process.js';
import { freeLoopbackPort } from '../../backend/src/common/net.js';
import { launchChromium } from './browser.js';

const MOSQUITTO = '/usr/sbin/mosquitto';
let t: TestEnv;
let hub: Hub;
let browser: Browser;
let page: Page;
let broker: ChildProcess | null = null;
let port = 0;
const dir = mkdtempSync(path.join(tmpdir(), 'tidewatch-parts-down-'));

async function health(): Promise<{ mqtt?: string }> {
  return (await (await fetch(`${t.httpUrl}/api/health`)).json()) as { mqtt?: string };
}

/** Mosquitto on `port`, anonymous, nothing kept (run as root it must not switch users). */
async function startBroker(): Promise<void> {
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', ...(process.getuid?.() === 0 ? ['user root'] : []), ''].join('\n'));
  broker = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(broker.exitCode).toBeNull();
}

async function stopBroker(): Promise<void> {
  const b = broker!;
  const exited = new Promise<void>((resolve) => b.once('exit', () => resolve()));
  b.kill('SIGTERM');
  await exited;
}

function header(): Promise<string> {
  return page.locator('header.top').innerText();
}

describe.skipIf(!existsSync(MOSQUITTO))('the dashboard header and the hub’s health', () => {
  beforeAll(async () => {
    t = await makeTestEnv();
    port = await freeLoopbackPort();
    await startBroker();
    hub = await startHub(t, { MQTT_URL: `mqtt://127.0.0.1:${port}`, MQTT_CLIENT_ID: `tidewatch-parts-${port}` });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(t.httpUrl);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=connection]');
    await page.waitForFunction(() => document.querySelector('[data-testid=connection]')?.textContent === '实时连接', undefined, { timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (broker && broker.exitCode === null) await stopBroker();
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says nothing is down while every part is up', async () => {
    expect((await health()).mqtt).toBe('up');
    expect(await page.locator('[data-testid=parts-down]').count()).toBe(0);
  });

  it('shows the broker down, in Chinese and English, while the live connection stays up', async () => {
    await stopBroker();
    await waitFor(async () => (await health()).mqtt === 'down', 15_000, 'health to report mqtt down');
    await page.waitForSelector('[data-testid=parts-down]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid=parts-down]')).toBe('故障：设备接入（MQTT）');
    expect(await page.textContent('[data-testid=connection]')).toBe('实时连接');
    await page.click('header.top nav button:has-text("English")');
    expect(await page.textContent('[data-testid=parts-down]')).toBe('Down: device broker (MQTT)');
    expect(await header()).toContain('Live');
  });

  it('clears once the broker is back', async () => {
    await startBroker();
    await waitFor(async () => (await health()).mqtt === 'up', 30_000, 'health to report mqtt up');
    await page.waitForSelector('[data-testid=parts-down]', { state: 'detached', timeout: 15_000 });
    expect(await header()).not.toContain('Down:');
  });
});
