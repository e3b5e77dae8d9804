import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedTexts } from '../../src/models/index.js';
import { CHROMIUM, launchChromium, type ChromiumSession, type Page, type PageServer } from '@msae/test-support';
import { existsSync } from 'node:fs';
import { startClipPage } from './browser/page.js';
import { maxAbsDiff, tinyClipFixtureDir } from './fixture-dir.js';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) {
  throw new Error('browser test: /usr/bin/chromium is missing (apt-get install -y chromium)');
}
if (!haveChromium) console.warn('skipping the browser test: /usr/bin/chromium is missing and CI is unset');

describe.skipIf(!haveChromium)('browser (headless Chromium, onnxruntime-web wasm served locally)', () => {
  let server: PageServer;
  let browser: ChromiumSession;
  let page: Page;
  let model = '';
  const requests: string[] = [];

  beforeAll(async () => {
    ({ model } = await tinyClipFixtureDir());
    server = await startClipPage(dirname(model));
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(server.url);
    await page.waitForFunction(() => 'msaeClip' in globalThis);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('embeds texts with the fixture and matches Node within 1e-4', async () => {
    const texts = [
      'a photo of a cat.',
      'a dog',
      Array.from({ length: 100 }, (_, i) => (i % 3 ? 'zebra' : 'striped')).join(' '),
      '',
    ];
    const inPage = await page.evaluate(
      async ({ texts, base }) => {
        const api = (globalThis as any).msaeClip;
        const r = await api.embedTexts(texts, {
          model: 'tiny-clip',
          localModelPath: "/models/",
          wasmPaths: `${base}ort/`,
          device: 'wasm',
          batchSize: 3,
        });
        return { data: Array.from(r.embeddings.data as Float32Array), rows: r.embeddings.rows, cols: r.embeddings.cols, dim: r.dim };
      },
      { texts, base: server.url },
    );
    const node = await embedTexts(texts, { model });
    expect([inPage.rows, inPage.cols, inPage.dim]).toEqual([4, 16, 16]);
    expect(maxAbsDiff(inPage.data, node.embeddings.data)).toBeLessThan(1e-4);
    // Everything came from the local server: no CDN.
    const origin = server.url.replace(/\/$/, '');
    const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`));
    expect(foreign).toEqual([]);
    expect(requests.some((u) => u.includes('/ort/ort-wasm-simd-threaded'))).toBe(true);
  });

  it('embeds raw RGB images in the page and matches Node within 1e-4', async () => {
    const size = 32;
    const rgb = Array.from({ length: size * size * 3 }, (_, i) => (i * 29 + 7) % 256);
    const inPage = await page.evaluate(
      async ({ rgb, size, base }) => {
        const api = (globalThis as any).msaeClip;
        const r = await api.embedImages([{ data: Uint8Array.from(rgb), width: size, height: size }], {
          model: 'tiny-clip',
          localModelPath: "/models/",
          wasmPaths: `${base}ort/`,
        });
        return Array.from(r.embeddings.data as Float32Array);
      },
      { rgb, size, base: server.url },
    );
    const { embedImages } = await import('../../src/models/index.js');
    const node = await embedImages([{ data: Uint8Array.from(rgb), width: size, height: size }], { model });
    expect(maxAbsDiff(inPage, node.embeddings.data)).toBeLessThan(1e-4);
  });
});
