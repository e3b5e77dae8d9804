/** Debian's chromium through playwright-core (never a downloaded browser): headless, fresh profile, no background network. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Options for the persistent context (viewport, downloads, ...); the executable, headless mode and args are set here. */
export type ChromiumContextOptions = Omit<NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>, 'executablePath' | 'headless' | 'args'>;

export const CHROMIUM = process.env.MSAE_CHROMIUM ?? '/usr/bin/chromium';

/** --headless=new is passed here (Playwright's own headless switch stays off). */
export const BASE_CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Whether browser tests run: chromium present, or CI set (where a missing chromium must fail). Warns once when skipped. */
export function browserTestsRun(label: string): boolean {
  const run = existsSync(CHROMIUM) || Boolean(process.env.CI);
  if (!run) console.warn(`${label} skipped: ${CHROMIUM} not found (apt-get install -y chromium); it always runs when CI is set`);
  return run;
}

export interface ChromiumSession {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launch chromium with a fresh temporary profile and `extraArgs` after the base flags. */
export async function launchChromium(extraArgs: string[] = [], contextOptions: ChromiumContextOptions = {}): Promise<ChromiumSession> {
  const profile = mkdtempSync(join(tmpdir(), 'msae-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { ...contextOptions, executablePath: CHROMIUM, headless: false, args: [...BASE_CHROMIUM_ARGS, ...extraArgs] });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenPage extends ChromiumSession {
  page: Page;
}

/**
 * Open `url` in a fresh chromium and wait until the page sets `globalThis[readyFlag]` (default `msaeReady`) to a
 * truthy value; page errors seen before then make the failure message.
 */
export async function openPage(url: string, extraArgs: string[] = [], readyFlag = 'msaeReady', timeoutMs = 60_000): Promise<OpenPage> {
  const session = await launchChromium(extraArgs);
  try {
    const page = await session.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await page
      .waitForFunction((flag) => Boolean((globalThis as unknown as Record<string, unknown>)[flag]), readyFlag, { timeout: timeoutMs })
      .catch((e: unknown) => {
        throw new Error(`page did not load: ${errors.join('; ') || String(e)}`);
      });
    return { ...session, page };
  } catch (e) {
    await session.close();
    throw e;
  }
}
