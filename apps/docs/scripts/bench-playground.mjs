// Training throughput of the playground in Chromium (Debian's /usr/bin/chromium via playwright-core):
// trains the synthetic demo in the Train view's Web Worker and prints the samples/s it reports.
//   node scripts/bench-playground.mjs [--backend tfjs-wasm|tfjs-webgpu] [--dim 512] [--expansion 8] [--batch 256] [--steps 8]
// Needs the built site (pnpm docs:build, or MSAE_DOCS_OUT=<dir>). Run it once; it is not a test.
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'tfjs-wasm' },
    dim: { type: 'string', default: '512' },
    expansion: { type: 'string', default: '8' },
    batch: { type: 'string', default: '256' },
    steps: { type: 'string', default: '8' },
  },
});
const dist = process.env.MSAE_DOCS_OUT ?? fileURLToPath(new URL('../.vitepress/dist', import.meta.url));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
const server = createServer(async (req, res) => {
  let file = join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
  const body = await readFile(file).catch(() => null);
  if (!body) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const gpu = values.backend.includes('webgpu') ? ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'] : ['--disable-gpu'];
const browser = await chromium.launch({ executablePath: process.env.MSAE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', ...gpu] });
const page = await browser.newPage();
const rows = Math.max(Number(values.batch) * Number(values.steps), 512);
await page.goto(`${origin}/playground/train.html?backend=${values.backend}&rows=${rows}&dim=${values.dim}&expansion=${values.expansion}&batch=${values.batch}&steps=${values.steps}&k=64&epochs=1`);
const t0 = performance.now();
await page.getByTestId('train-button').click();
await page.getByTestId('progressive-table').waitFor({ timeout: 3_600_000 });
const status = await page.getByTestId('train-status').textContent();
const note = await page.getByTestId('backend-note').textContent();
console.log(JSON.stringify({
  cpu: cpus()[0]?.model, cores: cpus().length, chromium: browser.version(),
  backend: values.backend, model: `${values.dim} -> ${Number(values.dim) * Number(values.expansion)}`, batch: Number(values.batch), steps: Number(values.steps),
  status, engine: note, wallSeconds: (performance.now() - t0) / 1000,
}));
await browser.close();
server.close();
