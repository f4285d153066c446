/**
 * The web console in headless Chromium (Debian's `chromium`, driven by playwright-core; no
 * browser download), for the suites that look at it: one page per suite, each console page opened,
 * left to render, screenshotted to `test-artifacts/console/` and read as text.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CONSOLE_ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'console');

export interface ConsoleBrowser {
  readonly browser: Browser;
  readonly page: Page;
  /**
   * Opens `#/<hash>` of the console at `platformUrl`, waits for it to render (or fail), writes
   * `<shot>.png` and returns the page's text; a page that failed to render throws with its text.
   */
  open(hash: string, shot: string): Promise<string>;
  close(): Promise<void>;
}

export async function openConsoleBrowser(platformUrl: string): Promise<ConsoleBrowser> {
  mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  return {
    browser,
    page,
    async open(hash, shot) {
      await page.goto(`${platformUrl}/console/#/${hash}`);
      await page.waitForSelector('body[data-state="ready"], body[data-state="error"]');
      await page.screenshot({ path: join(CONSOLE_ARTIFACTS, `${shot}.png`), fullPage: true });
      const state = await page.getAttribute('body', 'data-state');
      const text = await page.innerText('main');
      if (state !== 'ready') throw new Error(`#/${hash} failed: ${text}`);
      return text;
    },
    close: () => browser.close(),
  };
}
