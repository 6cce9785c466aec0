import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (CHROMIUM_PATH for another), headless, without a first run's network chatter. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page of a desktop screen (1440×900) whose uncaught errors are collected in `errors`. */
export async function watchedPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => errors.push(String(err)));
  return page;
}
