import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAlert } from '../../backend/test/harness/alert-rows.js';
import { addUser, api, login, makeTestEnv, startHub, TEST_USER_PASSWORD, type Hub, type TestEnv } from '../../backend/test/harness/hub-process.js';
import { launchChromium, watchedPage } from './browser.js';

/** The duty room's alert log (bulk resolve with one note) and the printable shift handover, in Chromium. */
let t: TestEnv;
let hub: Hub;
let browser: Browser;
let page: Page;
let operator: string;
const pageErrors: string[] = [];
const ids: number[] = [];
const TITLES = ['E2ELOG 甲烷浓度偏高', 'E2ELOG 泵站液位偏高', 'E2ELOG 臭氧超标'];

beforeAll(async () => {
  t = await makeTestEnv();
  hub = await startHub(t);
  const admin = await login(t);
  operator = await addUser(t, admin, 'log-op', 'operator');
  // Three alerts opened during the current shift (half-way between its start and now).
  const shift = (await api<{ from: string }>(t, operator, '/api/alerts/handover')).body;
  const opened = new Date((Date.parse(shift.from) + Date.now()) / 2).toISOString();
  const sites = ['gas-hekou-riser', 'air-lingshui', 'air-hekou'];
  for (const [i, title] of TITLES.entries()) {
    ids.push(await insertAlert(t, { site: sites[i]!, rule: `e2e-log-${i}`, severity: i === 0 ? 'critical' : 'major', state: 'active', opened, title_zh: title, title_en: `${title.split(' ')[0]} alert ${i}` }));
  }
  browser = await launchChromium();
  page = await watchedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await t?.cleanup();
});

describe('the alert log and the shift handover in a real browser', () => {
  it('bulk-resolves two selected alerts with one note from the alert log', async () => {
    await page.goto(`${t.httpUrl}/login`);
    await page.fill('input[name=username]', 'log-op');
    await page.fill('input[name=password]', TEST_USER_PASSWORD);
    await page.click('button[type=submit]');
    await page.click('[data-testid=log-link]');
    await page.waitForSelector('[data-testid=alert-log]');
    await page.fill('input[name=q]', 'E2ELOG');
    await page.click('[data-action=search]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=alert-log] tbody tr').length === 3, undefined, { timeout: 10_000 });
    expect(await page.textContent('[data-testid=log-total]')).toBe('共 3 条，第 1–3 条');
    for (const id of ids.slice(0, 2)) await page.check(`tr[data-alert="${id}"] input[name=select]`);
    expect(await page.textContent('[data-testid=selected-count]')).toBe('已选 2 条');
    await page.fill('input[name=bulk-note]', '交接前统一处理');
    await page.click('[data-action=bulk-resolve]');
    await page.waitForFunction(() => document.querySelector('[data-testid=log-message]')?.textContent?.includes('2 条已处理'), undefined, { timeout: 10_000 });
    for (const id of ids.slice(0, 2)) {
      expect(await page.textContent(`tr[data-alert="${id}"] td.state`)).toBe('已解决');
      expect(await page.isDisabled(`tr[data-alert="${id}"] input[name=select]`)).toBe(true);
      const full = (await api<{ state: string; history: { action: string; actor: string; note: string }[] }>(t, operator, `/api/alerts/${id}`)).body;
      expect(full.history.at(-1)).toMatchObject({ action: 'resolved', actor: 'log-op', note: '交接前统一处理' });
    }
    expect(await page.textContent(`tr[data-alert="${ids[2]}"] td.state`)).toBe('待处理');
    // Times to the second.
    expect(await page.textContent(`tr[data-alert="${ids[0]}"] td:nth-child(6)`)).toMatch(/^\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('shows the shift handover: what opened, what is still open, what was done, printable', async () => {
    await page.click('a[href="/handover"]');
    await page.waitForSelector('[data-testid=handover-opened] tbody tr', { timeout: 10_000 });
    // The shared test broker may bring other tests' alerts into the shift: only this file's are counted.
    const ours = async (section: string): Promise<number[]> =>
      (await page.locator(`[data-testid=${section}] tbody tr`).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-alert'))))).filter((id) => ids.includes(id));
    const opened = await page.textContent('[data-testid=handover-opened]');
    for (const title of TITLES) expect(opened).toContain(title);
    expect(await ours('handover-opened')).toEqual(ids);
    const openedRows = await page.locator('[data-testid=handover-opened] tbody tr').count();
    expect(await page.textContent('[data-testid=handover-opened] h3')).toBe(`本班新发生告警（${openedRows}）`);
    expect(await ours('handover-open')).toEqual([ids[2]]);
    const done = page.locator('[data-testid=handover-actions] tbody tr', { hasText: '交接前统一处理' });
    expect(await done.count()).toBe(2);
    for (const text of await done.allTextContents()) {
      expect(text).toContain('log-op');
      expect(text).toContain('解决（批量）');
      expect(text).toContain('交接前统一处理');
    }
    expect(await page.textContent('[data-testid=shift-period]')).toMatch(/^班次：\d{4}-\d{2}-\d{2} \d{2}:00:00 至 \d{4}-\d{2}-\d{2} \d{2}:00:00$/);
    // Printed, the controls and the dashboard header go; the sheet stays.
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-action=print]')).toBe(false);
    expect(await page.isVisible('[data-testid=handover-actions]')).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('shows the handover in English without Chinese glyphs when the page is in English', async () => {
    await page.evaluate(() => localStorage.setItem('tidewatch.lang', 'en'));
    await page.reload();
    await page.waitForSelector('[data-testid=handover-opened] tbody tr', { timeout: 10_000 });
    const text = (await page.textContent('[data-testid=handover]')) ?? '';
    const openedRows = await page.locator('[data-testid=handover-opened] tbody tr').count();
    expect(await page.textContent('[data-testid=handover-opened] h3')).toBe(`Opened during the shift (${openedRows})`);
    expect(text).toContain('Resolved (bulk)');
    // The operator's note is their own words; everything else (of this file's alerts) is English.
    const sheet = await page.locator('[data-testid=handover]').evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const row of copy.querySelectorAll('tbody tr')) row.remove();
      return copy.textContent ?? '';
    });
    expect(sheet).not.toMatch(/[\u4e00-\u9fff]/);
    for (const id of ids) expect(await page.textContent(`[data-testid=handover-opened] tr[data-alert="${id}"]`)).not.toMatch(/[\u4e00-\u9fff]/);
    expect(pageErrors).toEqual([]);
  });
});
