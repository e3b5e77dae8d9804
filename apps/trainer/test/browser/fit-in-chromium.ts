/** Test helper: bundle the fit() page for the browser, serve it locally and run it in Debian's Chromium (test-support). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, bundleForBrowser, launchChromium, startPageServer } from '@msae/test-support';

export const haveChromium = existsSync(CHROMIUM);
const here = dirname(fileURLToPath(import.meta.url));

/** The page's bundle: no node:* import may reach it (esbuild fails on one for platform browser). */
export async function bundleFitPage(): Promise<{ code: string; inputs: string[] }> {
  const { code, metafile } = await bundleForBrowser(join(here, 'fit-page.ts'), { external: ['@tensorflow/tfjs-node', 'webgpu'] });
  return { code, inputs: Object.keys(metafile.inputs) };
}

/** Run fit() with `settings` in a Chromium page; every request but the local server's is refused. */
export async function fitInChromium(code: string, settings: object, timeoutMs = 240_000): Promise<{ records?: Array<{ k: number; fvu: number }>; steps?: number; error?: string }> {
  const server = await startPageServer({ bundle: code, title: 'msae fit test' });
  const origin = server.url.replace(/\/$/, '');
  const browser = await launchChromium(['--disable-dev-shm-usage', '--disable-gpu']);
  try {
    const page = await browser.context.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
    await page.goto(`${origin}/#${encodeURIComponent(JSON.stringify(settings))}`);
    await page.waitForFunction(() => window.fitResult !== undefined, undefined, { timeout: timeoutMs, polling: 500 });
    return await page.evaluate(() => window.fitResult!);
  } finally {
    await browser.close();
    await server.close();
  }
}
