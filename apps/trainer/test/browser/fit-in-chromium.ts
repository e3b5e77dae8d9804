/** Test helper: bundle the fit() page with esbuild (platform browser), serve it locally and run it in Debian's Chromium. */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.MSAE_CHROMIUM ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
const here = dirname(fileURLToPath(import.meta.url));

/** The page's bundle: no node:* import may reach it (esbuild fails on one for platform browser). */
export async function bundleFitPage(): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [join(here, 'fit-page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['@tensorflow/tfjs-node', 'webgpu'],
  });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

/** Run fit() with `settings` in a Chromium page; every request but the local server's is refused. */
export async function fitInChromium(code: string, settings: object, timeoutMs = 240_000): Promise<{ records?: Array<{ k: number; fvu: number }>; steps?: number; error?: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/fit.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(code);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><meta charset="utf-8"><script type="module" src="/fit.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
    await page.goto(`${origin}/#${encodeURIComponent(JSON.stringify(settings))}`);
    await page.waitForFunction(() => window.fitResult !== undefined, undefined, { timeout: timeoutMs, polling: 500 });
    return await page.evaluate(() => window.fitResult!);
  } finally {
    await browser.close();
    server.close();
  }
}
