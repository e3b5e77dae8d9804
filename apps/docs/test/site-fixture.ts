/** Shared by the site tests: the built site (pnpm --filter @msae/docs build) served on localhost, and Chromium. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic, type StaticServer } from '@msae/test-support';
import { afterAll, beforeAll } from 'vitest';
import { launch, type Browser } from './headless-browser.js';

/** The built site: .vitepress/dist, or MSAE_DOCS_OUT when the build was told to write elsewhere. */
export const DIST = process.env.MSAE_DOCS_OUT ?? fileURLToPath(new URL('../.vitepress/dist', import.meta.url));

/** Skip only when chromium is missing outside CI; in CI a missing browser or build fails. */
export function browserTestsEnabled(haveChromium: boolean): boolean {
  if (!haveChromium && process.env.CI) throw new Error('docs site tests: /usr/bin/chromium is missing (apt-get install -y chromium)');
  if (!haveChromium) console.warn('docs site tests skipped: /usr/bin/chromium not found (apt-get install -y chromium)');
  return haveChromium;
}

export async function serveSite(mounts: Record<string, string> = {}): Promise<StaticServer> {
  if (!existsSync(`${DIST}/index.html`)) throw new Error(`${DIST} is missing: run the docs build first (pnpm --filter @msae/docs build)`);
  return serveStatic(DIST, mounts);
}

/**
 * A site test's fixture: before all tests the built site is served and one Chromium launched (`args` after the base
 * flags); after all both are closed. Read `.server` and `.browser` inside the tests.
 */
export function useSiteAndBrowser(args: string[] = ['--disable-gpu']): { readonly server: StaticServer; readonly browser: Browser } {
  const state = {} as { server: StaticServer; browser: Browser };
  beforeAll(async () => {
    state.server = await serveSite();
    state.browser = await launch(state.server.origin, args);
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.server?.close();
  });
  return state;
}
