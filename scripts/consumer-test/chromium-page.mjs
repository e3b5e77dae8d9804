// Serve a folder over http on 127.0.0.1 and load `<script type=module src=SCRIPT>` in headless Chromium (Debian's
// /usr/bin/chromium through playwright-core, never a downloaded browser); resolves with what the page passes to
// globalThis.msaeReport.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// playwright-core and esbuild come from the private test-support package (the browser-test harness's dependencies)
const { chromium } = createRequire(join(root, 'packages/test-support/package.json'))('playwright-core');
const CHROMIUM = process.env.MSAE_CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm' };

export async function runInChromium(folder, script, timeoutMs = 120_000) {
  const html = `<!doctype html><meta charset="utf-8"><script>globalThis.msaeReport = (r) => { globalThis.msaeResult = r; };</script><script type="module" src="${script}"></script>`;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      const body = path === '/' ? html : await readFile(join(folder, path.slice(1)));
      res.writeHead(200, { 'content-type': TYPES[path.slice(path.lastIndexOf('.'))] ?? 'text/html' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const profile = mkdtempSync(join(tmpdir(), 'msae-consumer-chromium-'));
  const args = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: false, args });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'commit' });
    await page
      .waitForFunction(() => globalThis.msaeResult !== undefined, null, { timeout: timeoutMs })
      .catch((e) => {
        throw new Error(`the page reported nothing: ${errors.join('; ') || String(e)}`);
      });
    return await page.evaluate(() => globalThis.msaeResult);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
