/**
 * Embedding throughput (items/s) of the tiny CLIP fixture in Node (onnxruntime-node) and in headless Chromium
 * (onnxruntime-web wasm), texts and images. A measurement, not a test. Run from packages/clip:
 *   node_modules/.bin/esbuild scripts/embed-throughput.ts --bundle --platform=node --format=esm \
 *     --external:@huggingface/transformers --external:onnxruntime-node --external:playwright-core --external:esbuild \
 *     --outfile=.fixtures/embed-throughput.mjs && node .fixtures/embed-throughput.mjs
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeTinyClipFixture } from '../src/testing.js';
import { embedImages, embedTexts } from '../src/models/index.js';
import { existsSync } from 'node:fs';
import { CHROMIUM, launchChromium } from '@msae/test-support';
import { startClipPage } from '../test/models/browser/page.js';

const TEXTS = 2048;
const IMAGES = 512;
const BATCH = 64;
const IMAGE_SIZE = 48; // resized to 32 by the processor, as real photos are

const words = ['cat', 'dog', 'striped', 'red', 'car', 'photo', 'of', 'a', 'the', 'large', 'wooden', 'house', 'zebra'];
const texts = Array.from({ length: TEXTS }, (_, i) =>
  Array.from({ length: 4 + (i % 12) }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' '),
);
function image(i: number): { data: Uint8Array; width: number; height: number } {
  const data = new Uint8Array(IMAGE_SIZE * IMAGE_SIZE * 3);
  for (let k = 0; k < data.length; k++) data[k] = (k * (i % 17 + 3) + i * 13) % 256;
  return { data, width: IMAGE_SIZE, height: IMAGE_SIZE };
}
const images = Array.from({ length: IMAGES }, (_, i) => image(i));

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

const root = await mkdtemp(join(tmpdir(), 'msae-clip-throughput-'));
const model = await writeTinyClipFixture(join(root, 'tiny-clip'));
const results: Array<{ where: string; kind: string; items: number; seconds: number; itemsPerSecond: number }> = [];
const record = (where: string, kind: string, items: number, seconds: number) =>
  results.push({ where, kind, items, seconds: Number(seconds.toFixed(3)), itemsPerSecond: Number((items / seconds).toFixed(1)) });

// Node: warm up (model load), then time.
await embedTexts(texts.slice(0, BATCH), { model, batchSize: BATCH });
await embedImages(images.slice(0, 8), { model, batchSize: BATCH });
record('node', 'texts', TEXTS, await timed(() => embedTexts(texts, { model, batchSize: BATCH })));
record('node', 'images', IMAGES, await timed(() => embedImages(images, { model, batchSize: BATCH })));

if (existsSync(CHROMIUM)) {
  const server = await startClipPage(dirname(model), process.cwd());
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'msaeClip' in globalThis);
    const inPage = await page.evaluate(
      async ({ texts, images, batch }) => {
        const api = (globalThis as any).msaeClip;
        const opts = { model: 'tiny-clip', localModelPath: '/models/', wasmPaths: `${location.origin}/ort/`, batchSize: batch };
        const imgs = images.map((im: { data: number[]; width: number; height: number }) => ({ ...im, data: Uint8Array.from(im.data) }));
        await api.embedTexts(texts.slice(0, batch), opts);
        await api.embedImages(imgs.slice(0, 8), opts);
        let t = performance.now();
        await api.embedTexts(texts, opts);
        const textSeconds = (performance.now() - t) / 1000;
        t = performance.now();
        await api.embedImages(imgs, opts);
        const imageSeconds = (performance.now() - t) / 1000;
        return { textSeconds, imageSeconds };
      },
      { texts, images: images.map((im) => ({ ...im, data: Array.from(im.data) })), batch: BATCH },
    );
    record('chromium', 'texts', TEXTS, inPage.textSeconds);
    record('chromium', 'images', IMAGES, inPage.imageSeconds);
  } finally {
    await browser.close();
    await server.close();
  }
} else {
  console.error('chromium missing: browser throughput not measured');
}

for (const r of results) console.error(`${r.where.padEnd(9)} ${r.kind.padEnd(7)} ${r.items} items in ${r.seconds}s: ${r.itemsPerSecond} items/s`);
console.log(JSON.stringify({ batchSize: BATCH, imageSize: IMAGE_SIZE, results }));
