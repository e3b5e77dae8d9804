/**
 * Test helper: Debian's chromium through playwright-core (never a downloaded browser), with every
 * request that does not go to the local server aborted and recorded, and console errors collected.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.MSAE_CHROMIUM ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

const BASE_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
/** SwiftShader WebGPU in pages and workers. */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

export interface Browser {
  context: BrowserContext;
  /** Requests to anything but the local origin (all aborted). */
  foreign: string[];
  /** Console errors and uncaught page errors, as "url: message". */
  errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launch(origin: string, extraArgs: string[] = []): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'msae-docs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    args: [...BASE_ARGS, ...extraArgs],
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const foreign: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${String(e)}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    foreign,
    errors,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
