/**
 * Test helper: Debian's chromium through playwright-core (never a downloaded browser), with every
 * request that does not go to the local server aborted and recorded, and console errors collected.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM, launchChromium, type BrowserContext, type Page } from '@msae/test-support';

export { CHROMIUM };
export const haveChromium = existsSync(CHROMIUM);

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
  const session = await launchChromium(['--disable-dev-shm-usage', ...extraArgs], { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const { context } = session;
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
    close: () => session.close(),
  };
}
