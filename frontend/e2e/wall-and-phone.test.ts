import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, login, TEST_USER_PASSWORD } from '../../backend/test/harness/hub-process.js';
import { useHub } from '../../backend/test/use-hub.js';
import { launchChromium, watchedPage } from './browser.js';

const CRITICAL = 'gas-hekou-riser';
const MAJOR = 'gas-lingshui-regulator';
const SITES = 32;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const ctx = useHub();
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const { t } = ctx;
  await addUser(t, await login(t), 'wall-desk', 'operator');
  browser = await launchChromium();
  page = await watchedPage(browser, pageErrors);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${t.httpUrl}/login`);
  await page.fill('input[name=username]', 'wall-desk');
  await page.fill('input[name=password]', TEST_USER_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=site-map]', { state: 'attached' });
  await page.click('[data-testid=wall-link]');
  await page.waitForSelector('[data-testid=wall]');
  await page.waitForFunction((n) => document.querySelectorAll('.tw-marker').length === n, SITES, { timeout: 15_000 });
  // Two gas points over their alarm levels: 64 %LEL is critical (≥ 50), 30 %LEL major (≥ 20).
  const device = await mqtt.connectAsync(t.mqttUrl, { clientId: 'e2e-wall' });
  await device.publishAsync(siteTopic(CRITICAL, 'telemetry'), JSON.stringify({ ts: Date.now(), values: { ch4_lel_pct: 64 } }), { qos: 1 });
  await device.publishAsync(siteTopic(MAJOR, 'telemetry'), JSON.stringify({ ts: Date.now(), values: { ch4_lel_pct: 30 } }), { qos: 1 });
  await device.endAsync();
});

afterAll(async () => {
  await browser?.close();
});

/** Scroll sizes against client sizes of the page and of every element that could scroll. */
function scrollbars(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const d = document.documentElement;
    const out: string[] = [];
    if (d.scrollWidth > d.clientWidth || d.scrollHeight > d.clientHeight) out.push(`page ${d.scrollWidth}×${d.scrollHeight} in ${d.clientWidth}×${d.clientHeight}`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const s = getComputedStyle(el);
      const scrolls = ['auto', 'scroll'].includes(s.overflowY) || ['auto', 'scroll'].includes(s.overflowX);
      if (scrolls && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) out.push(`${el.tagName}.${el.className}`);
    }
    return out;
  });
}

/** The map's rectangle and every marker's, by site. */
function markerBoxes(p: Page): Promise<{ map: Box; markers: Record<string, Box> }> {
  return p.evaluate(() => {
    const box = (el: Element): Box => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const markers: Record<string, Box> = {};
    for (const m of document.querySelectorAll('.tw-marker')) markers[m.getAttribute('data-site')!] = box(m);
    return { map: box(document.querySelector('[data-testid=site-map]')!), markers };
  });
}

const inside = (b: Box, outer: Box): boolean => b.x >= outer.x - 0.5 && b.y >= outer.y - 0.5 && b.x + b.width <= outer.x + outer.width + 0.5 && b.y + b.height <= outer.y + outer.height + 0.5;
const overlap = (a: Box, b: Box): boolean => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

function overlapping(markers: Record<string, Box>): string[] {
  const ids = Object.keys(markers);
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) if (overlap(markers[ids[i]!]!, markers[ids[j]!]!)) out.push(`${ids[i]} ${ids[j]}`);
  return out;
}

async function everySiteOnTheMap(): Promise<Record<string, Box>> {
  const { map, markers } = await markerBoxes(page);
  expect(Object.keys(markers)).toHaveLength(SITES);
  expect(Object.entries(markers).filter(([, b]) => !inside(b, map)).map(([id]) => id)).toEqual([]);
  expect(overlapping(markers)).toEqual([]);
  return markers;
}

describe('wall mode', () => {
  it('fills a 1920×1080 screen without scrollbars, every site inside the map and no two markers overlapping, with a clock to the second', async () => {
    expect(await scrollbars(page)).toEqual([]);
    await everySiteOnTheMap();
    const clock = page.locator('[data-testid=wall-clock] .time');
    const first = await clock.textContent();
    expect(first).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    await page.waitForFunction((was) => document.querySelector('[data-testid=wall-clock] .time')?.textContent !== was, first, { timeout: 2500 });
    expect(await page.textContent('[data-testid=wall-connection]')).toBe('实时连接');
    // Only the two gas points below have reported: the others are offline, and the wall says so.
    expect(await page.textContent('[data-testid=wall-offline]')).toMatch(/离线 \d+ 个 · 32 个监测点/);
    // The type is large: the headline is at least 24 px on a 1920-wide screen.
    expect(await page.$eval('.wall-head h1', (h) => Number.parseFloat(getComputedStyle(h).fontSize))).toBeGreaterThanOrEqual(24);
  });

  it('draws critical and major sites in different colours and shapes, and counts the alerts by severity', async () => {
    const critical = page.locator(`.tw-marker.tw-sev-critical[data-site=${CRITICAL}]`);
    const major = page.locator(`.tw-marker.tw-sev-major[data-site=${MAJOR}]`);
    await critical.waitFor({ timeout: 5000 });
    await major.waitFor({ timeout: 5000 });
    const look = (id: string): Promise<{ cls: string; fill: string; shape: string; pulse: boolean }> =>
      page.$eval(`.tw-marker[data-site=${id}]`, (m) => ({
        cls: m.className,
        fill: m.querySelector('svg g')!.getAttribute('fill')!,
        shape: m.querySelector('svg g > *')!.tagName,
        pulse: m.querySelector('.tw-halo') !== null,
      }));
    const c = await look(CRITICAL);
    const mj = await look(MAJOR);
    expect(c.cls).toContain('tw-shape-diamond');
    expect(mj.cls).toContain('tw-shape-square');
    expect(c.shape).not.toBe(mj.shape);
    expect(c.fill).not.toBe(mj.fill);
    expect(c.pulse).toBe(true);
    expect(mj.pulse).toBe(false);
    expect(await page.textContent('[data-testid=wall-alerts] .count[data-severity=critical] b')).toBe('1');
    expect(await page.textContent('[data-testid=wall-alerts] .count[data-severity=major] b')).toBe('1');
    expect(await page.locator('[data-testid=wall-alerts] li.item').evaluateAll((li) => li.map((l) => l.getAttribute('data-site')))).toEqual([CRITICAL, MAJOR]);
    // Still no two markers on top of each other.
    await everySiteOnTheMap();
  });

  it('moves the map to a site when its alert is clicked and opens the site there', async () => {
    await page.click(`[data-testid=wall-alerts] li.item[data-site=${MAJOR}]`);
    await page.waitForSelector(`.leaflet-popup-content .tw-popup[data-site=${MAJOR}]`, { timeout: 5000 });
    expect(await page.textContent('.leaflet-popup-content .tw-popup')).toContain('凌水燃气调压站');
    const { map, markers } = await markerBoxes(page);
    const m = markers[MAJOR]!;
    expect(inside(m, map)).toBe(true);
    // Near the middle of the map (a little low: the popup opens above it).
    expect(Math.abs(m.x + m.width / 2 - (map.x + map.width / 2))).toBeLessThan(map.width * 0.1);
    expect(Math.abs(m.y + m.height / 2 - (map.y + map.height / 2))).toBeLessThan(map.height * 0.2);
    expect(await scrollbars(page)).toEqual([]);
  });

  it('fills a 3840×2160 screen without scrollbars, with larger markers and type', async () => {
    await page.setViewportSize({ width: 3840, height: 2160 });
    // A fresh wall, as a 4K screen would start it: the whole district.
    await page.reload();
    await page.waitForFunction((n) => document.querySelectorAll('.tw-marker').length === n, SITES, { timeout: 15_000 });
    await page.waitForSelector(`.tw-marker.tw-sev-critical[data-site=${CRITICAL}]`, { timeout: 5000 });
    expect(await scrollbars(page)).toEqual([]);
    const markers = await everySiteOnTheMap();
    expect(markers[CRITICAL]!.width).toBeGreaterThanOrEqual(50);
    expect(await page.$eval('.wall-head h1', (h) => Number.parseFloat(getComputedStyle(h).fontSize))).toBeGreaterThanOrEqual(48);
  });
});

describe('the dashboard on a laptop and a phone', () => {
  it('fits 1366×768 without clipping; an alert opens its site in the drawer with the map beside it, the popup clear of the drawer', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(ctx.t.httpUrl);
    await page.waitForFunction((n) => document.querySelectorAll('.tw-marker').length === n, SITES, { timeout: 15_000 });
    const fits = await page.evaluate(() => {
      const d = document.documentElement;
      const out: string[] = [];
      if (d.scrollWidth > innerWidth || d.scrollHeight > innerHeight) out.push('page');
      const header = document.querySelector('.top')!;
      if (header.getBoundingClientRect().height > 48) out.push(`header ${header.getBoundingClientRect().height}px high`);
      for (const el of document.querySelectorAll('.top > *, .top nav > *, .tabs button, .side, .map')) {
        const r = el.getBoundingClientRect();
        if (r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5 || r.left < -0.5) out.push(`${el.tagName}.${el.className} at ${r.left}–${r.right}`);
        if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') out.push(`${el.tagName}.${el.className} clips its width`);
      }
      return out;
    });
    expect(fits).toEqual([]);
    // At the dashboard's default zoom (the district fitted) every site is on the map, none hiding another.
    await everySiteOnTheMap();

    await page.click(`[data-testid=alerts-panel] li.alert[data-site=${MAJOR}] button.site`);
    const drawer = page.locator('[data-testid=site-drawer]');
    await drawer.waitFor({ timeout: 10_000 });
    await page.waitForSelector(`.leaflet-popup-content .tw-popup[data-site=${MAJOR}]`, { timeout: 5000 });
    const boxes = await page.evaluate(() => {
      const box = (sel: string): Box => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      };
      return { drawer: box('[data-testid=site-drawer]'), popup: box('.leaflet-popup'), map: box('[data-testid=site-map]'), viewport: { x: 0, y: 0, width: innerWidth, height: innerHeight } };
    });
    const { markers } = await markerBoxes(page);
    expect(inside(boxes.drawer, boxes.viewport)).toBe(true);
    expect(overlap(boxes.popup, boxes.drawer)).toBe(false);
    expect(inside(boxes.popup, boxes.map)).toBe(true);
    expect(inside(markers[MAJOR]!, boxes.map)).toBe(true);
    expect(overlap(markers[MAJOR]!, boxes.drawer)).toBe(false);
    await page.click('[data-testid=site-drawer] header button');
  });

  it('opens the site of an alert in the log on the dashboard', async () => {
    await page.click('[data-testid=log-link]');
    await page.click(`[data-testid=alert-log] .site-link[data-site=${CRITICAL}]`, { timeout: 10_000 });
    await page.waitForURL(/\/\?site=gas-hekou-riser$/);
    await page.locator('[data-testid=site-drawer]').waitFor({ timeout: 10_000 });
    expect(await page.textContent('[data-testid=site-drawer] h2')).toContain('河口小区燃气立管');
    await page.waitForSelector(`.leaflet-popup-content .tw-popup[data-site=${CRITICAL}]`, { timeout: 10_000 });
  });

  it('at 390×844 shows the alerts first and the map on demand, nothing wider than the screen, and takes an acknowledgement with a note', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(ctx.t.httpUrl);
    const alertItem = page.locator(`[data-testid=alerts-panel] li.alert[data-site=${CRITICAL}]`);
    await alertItem.waitFor({ timeout: 15_000 });
    const wide = (): Promise<number> => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(await wide()).toBeLessThanOrEqual(0);
    // The header stays short (no title broken one character a line); the nav is in the menu.
    expect(await page.$eval('.top', (h) => h.getBoundingClientRect().height)).toBeLessThan(90);
    expect(await page.isVisible('[data-testid=log-link]')).toBe(false);
    await page.click('[data-testid=menu-toggle]');
    expect(await page.isVisible('[data-testid=log-link]')).toBe(true);
    expect(await wide()).toBeLessThanOrEqual(0);
    await page.click('[data-testid=menu-toggle]');
    // Alerts above the air figures, the map hidden until asked for.
    const top = (sel: string): Promise<number> => page.$eval(sel, (el) => el.getBoundingClientRect().top);
    expect(await top('[data-testid=alerts-panel]')).toBeLessThan(await top('[data-testid=air-panel]'));
    expect(await top('[data-testid=alerts-panel]')).toBeLessThan(844);
    expect(await page.isVisible('[data-testid=site-map]')).toBe(false);
    await page.click('[data-pane=map]');
    await page.waitForSelector('[data-testid=site-map]', { state: 'visible' });
    await page.waitForFunction(() => {
      const map = document.querySelector('[data-testid=site-map]')!.getBoundingClientRect();
      const m = document.querySelector('.tw-marker')?.getBoundingClientRect();
      return map.height > 300 && m !== undefined && m.left >= map.left && m.right <= map.right;
    }, undefined, { timeout: 5000 });
    expect(await wide()).toBeLessThanOrEqual(0);
    expect(overlapping((await markerBoxes(page)).markers)).toEqual([]);
    await page.click('[data-pane=list]');

    await alertItem.locator('[data-action=ack]').click();
    await alertItem.locator('textarea[name=note]').fill('已通知燃气公司到场处置');
    expect(await wide()).toBeLessThanOrEqual(0);
    const form = await alertItem.locator('form.note').boundingBox();
    expect(form!.x + form!.width).toBeLessThanOrEqual(390);
    await alertItem.locator('[data-action=submit]').click();
    await page.waitForFunction((site) => document.querySelector(`li.alert[data-site=${site}] .state`)?.textContent?.includes('已确认'), CRITICAL, { timeout: 5000 });

    // The drawer of a site fits the screen's width.
    await alertItem.locator('button.site').click();
    const drawer = page.locator('[data-testid=site-drawer]');
    await drawer.waitFor({ timeout: 10_000 });
    const d = await drawer.boundingBox();
    expect(d!.x).toBeGreaterThanOrEqual(0);
    expect(d!.x + d!.width).toBeLessThanOrEqual(390);
    expect(await wide()).toBeLessThanOrEqual(0);
    expect(pageErrors).toEqual([]);
  });
});
