import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (CHROMIUM_PATH for another), headless, without a first run's network chatter; `extraArgs` on top. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** A page of a desktop screen (1440×900) whose uncaught errors are collected in `errors`. */
export async function watchedPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => errors.push(String(err)));
  return page;
}

/** Waits until the dashboard's live connection is up (its header says so). */
export async function waitLive(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid=connection]')?.textContent === '实时连接', undefined, { timeout: 15_000 });
}

/** Signs in on the login page and waits for the live dashboard. */
export async function signIn(page: Page, httpUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${httpUrl}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await waitLive(page);
}
