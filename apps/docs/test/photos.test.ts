/**
 * Your photos: the page embeds picked images with the tiny CLIP fixture (transformers.js on wasm,
 * model and onnxruntime files served locally) and gets the embeddings Node computes for the same pixels.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedImages } from '@msae/clip';
import { writeTinyClipFixture } from '@msae/clip/testing';
import { parseEmbeddings } from '@msae/io';
import { encodeBmp } from './bmp.js';
import { haveChromium, launch, type Browser } from './headless-browser.js';
import { browserTestsEnabled, serveSite } from './site-fixture.js';
import type { StaticServer } from '@msae/test-support';

/** The fixture's input size: no resize, so browser (canvas) and Node (sharp) decoders see the same pixels. */
const SIZE = 32;
const COUNT = 6;

function pixels(seed: number): Uint8Array {
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * (seed * 7 + 3) + seed * 41 + ((i / 3 / SIZE) | 0) * seed) % 256;
  return rgb;
}

describe.skipIf(!browserTestsEnabled(haveChromium))('playground: your photos, embedded in the page', () => {
  let root: string;
  let server: StaticServer;
  let browser: Browser;
  const images: string[] = [];
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'msae-docs-photos-'));
    await writeTinyClipFixture(join(root, 'models', 'tiny-clip'));
    await mkdir(join(root, 'photos'));
    for (let i = 0; i < COUNT; i++) {
      const file = join(root, 'photos', `photo-${i}.bmp`);
      await writeFile(file, encodeBmp(pixels(i + 1), SIZE, SIZE));
      images.push(file);
    }
    server = await serveSite({ models: join(root, 'models') });
    browser = await launch(server.origin, ['--disable-gpu']);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('embeds a folder of images with the tiny CLIP fixture like Node does', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/playground/photos.html?model=tiny-clip&local=/models/&device=wasm`);
    await page.getByTestId('photo-files').setInputFiles(images);
    await page.getByTestId('embed-button').click();
    await expect.poll(() => page.getByTestId('photos-status').textContent(), { timeout: 90_000 }).toMatch(/^embedded 6 images/);
    expect(await page.locator('[data-testid=photo-grid] img').count()).toBe(COUNT);
    await page.screenshot({ path: 'test-results/photos.png', fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-embeddings').click()]);
    const bytes = await readFile((await download.path())!);
    const got = parseEmbeddings(new Uint8Array(bytes), 'photos.npy');

    const want = await embedImages(
      Array.from({ length: COUNT }, (_, i) => ({ data: pixels(i + 1), width: SIZE, height: SIZE })),
      { model: join(root, 'models', 'tiny-clip'), normalize: true },
    );
    expect([got.rows, got.cols]).toEqual([want.embeddings.rows, want.embeddings.cols]);
    let maxDiff = 0;
    for (let i = 0; i < got.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - want.embeddings.data[i]));
    expect(maxDiff).toBeLessThan(1e-4);
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.foreign).toEqual([]);
  });

  it('embeds with a model folder picked from disk: no model file is requested from any server', async () => {
    const page = await browser.newPage();
    const modelRequests: string[] = [];
    page.on('request', (r) => {
      if (/\/(models|msae-local-model)\//.test(new URL(r.url()).pathname)) modelRequests.push(r.url());
    });
    await page.goto(`${server.origin}/playground/photos.html?device=wasm`);
    await page.getByTestId('clip-folder').setInputFiles(join(root, 'models', 'tiny-clip'));
    await expect.poll(() => page.getByTestId('clip-folder-status').textContent()).toMatch(/model folder: tiny-clip \(\d+ files\)/);
    await page.getByTestId('photo-files').setInputFiles(images);
    await page.getByTestId('embed-button').click();
    await expect.poll(() => page.getByTestId('photos-status').textContent(), { timeout: 90_000 }).toMatch(/^embedded 6 images .* with local\/tiny-clip/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-embeddings').click()]);
    const got = parseEmbeddings(new Uint8Array(await readFile((await download.path())!)), 'photos.npy');
    const want = await embedImages(
      Array.from({ length: COUNT }, (_, i) => ({ data: pixels(i + 1), width: SIZE, height: SIZE })),
      { model: join(root, 'models', 'tiny-clip'), normalize: true },
    );
    let maxDiff = 0;
    for (let i = 0; i < got.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - want.embeddings.data[i]));
    expect(got.rows).toBe(COUNT);
    expect(maxDiff).toBeLessThan(1e-4);
    // every model file came from the picked folder: not one request for it (the fixture is also served at /models/)
    expect(modelRequests).toEqual([]);
    await page.close();
    expect(browser.foreign).toEqual([]);
  });
});
