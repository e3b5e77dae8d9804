/**
 * Explore lists the planted concepts' names for a planted-concept checkpoint (dropped files), with the
 * latent id in the URL, top items and the Matryoshka levels; Search & steer: raising a planted concept's
 * strength moves items that contain it to the top of the neighbours.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCheckpoint, resolveConfig } from '@msae/core';
import { loadShippedVocabulary } from '@msae/concepts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, launch, type Browser } from './headless-browser.js';
import { writePlantedFiles, type PlantedFiles } from './planted-checkpoint.js';
import { browserTestsEnabled, serveSite } from './site-fixture.js';
import type { StaticServer } from '@msae/test-support';

function unitCosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

/** An item and a concept it lacks, such that its plain nearest neighbour lacks that concept too. */
function steeringCase(f: PlantedFiles): { item: number; concept: number } {
  const { data, cols } = f.data;
  const row = (r: number) => data.subarray(r * cols, (r + 1) * cols);
  for (let item = 0; item < f.data.rows; item++) {
    let best = -1;
    let bestCos = -Infinity;
    for (let r = 0; r < f.data.rows; r++) {
      if (r === item) continue;
      const c = unitCosine(row(item), row(r));
      if (c > bestCos) [best, bestCos] = [r, c];
    }
    const concept = [...Array(f.concepts).keys()].find((c) => !f.itemConcepts[item].includes(c) && !f.itemConcepts[best].includes(c));
    if (concept !== undefined) return { item, concept };
  }
  throw new Error('no steering case');
}

async function firstNeighbour(page: Page): Promise<string> {
  return (await page.locator('[data-testid=neighbours] figure').first().getAttribute('title')) ?? '';
}

describe.skipIf(!browserTestsEnabled(haveChromium))('playground: explore a planted-concept checkpoint, then steer', () => {
  let server: StaticServer;
  let browser: Browser;
  let files: PlantedFiles;
  beforeAll(async () => {
    files = await writePlantedFiles();
    server = await serveSite();
    browser = await launch(server.origin, ['--disable-gpu']);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (files) await rm(files.dir, { recursive: true, force: true });
  });

  it('names the planted latents, shows their top items and the Matryoshka levels; steering moves a concept to the top', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/playground/explore.html`);
    // The first visit opens on the built-in example; the dropped files replace it.
    await page.getByTestId('checkpoint-files').setInputFiles(files.checkpoint);
    await expect.poll(() => page.getByTestId('checkpoint-summary').textContent()).toContain(`${files.dSae} latents`);
    await page.getByTestId('item-files').setInputFiles(files.items);
    await page.getByTestId('vocab-files').setInputFiles(files.vocabulary);
    await expect.poll(() => page.getByTestId('named-count').textContent(), { timeout: 60_000 }).toMatch(new RegExp(`of ${files.dSae} latents named`));

    // The list shows each planted latent's name.
    const shown = await page.locator('[data-testid=latent-list] button').evaluateAll((bs) =>
      bs.map((b) => ({ latent: Number((b as HTMLElement).dataset.latent), name: b.querySelector('b')?.textContent ?? '' })),
    );
    expect(shown).toHaveLength(files.dSae);
    const byLatent = new Map(shown.map((s) => [s.latent, s.name]));
    const correct = [...Array(files.concepts).keys()].filter((i) => byLatent.get(i) === `concept-${i}`).length;
    expect(correct / files.concepts).toBeGreaterThanOrEqual(0.9);
    const namedRandom = shown.filter((s) => s.latent >= files.concepts && s.name !== '').length;
    expect(namedRandom / (files.dSae - files.concepts)).toBeLessThanOrEqual(0.1);

    // Filter by concept name; open a latent: its id goes in the URL, its top items contain its concept.
    await page.getByTestId('concept-filter').fill('concept-5');
    await expect.poll(() => page.locator('[data-testid=latent-list] button').count()).toBe(1);
    await page.locator('[data-testid=latent-list] button').first().click();
    expect(new URL(page.url()).searchParams.get('latent')).toBe('5');
    await expect.poll(() => page.getByTestId('latent-name').textContent()).toBe('concept-5');
    const topItems = page.locator('[data-testid=top-items] figure');
    await expect.poll(() => topItems.count(), { timeout: 60_000 }).toBeGreaterThan(3);
    const topLabels = await topItems.evaluateAll((fs) => fs.map((f) => f.getAttribute('title') ?? ''));
    expect(topLabels.every((l) => l.split(' + ').includes('concept-5'))).toBe(true);
    await page.getByTestId('histogram').waitFor();
    await page.screenshot({ path: 'test-results/explore.png', fullPage: true });

    // Matryoshka view of item 7: the levels k = 16 and d_sae = 64; its two planted concepts lead at k = 16.
    await page.getByTestId('item-row').fill('7');
    await page.getByTestId('levels-button').click();
    await expect.poll(() => page.locator('[data-testid=levels-table] tbody tr').count()).toBe(2);
    const levels = await page.locator('[data-testid=levels-table] tbody tr').evaluateAll((trs) =>
      trs.map((t) => ({
        k: Number((t as HTMLElement).dataset.k),
        cosine: Number((t as HTMLElement).dataset.cosine),
        latents: Array.from(t.querySelectorAll('.chip'), (c) => Number((c as HTMLElement).dataset.latent)),
      })),
    );
    expect(levels.map((l) => l.k)).toEqual([16, 64]);
    expect(levels[0].cosine).toBeGreaterThan(0.5);
    expect(levels[0].latents.slice(0, 2).sort((a, b) => a - b)).toEqual([...files.itemConcepts[7]].sort((a, b) => a - b));

    // Search & steer, reached through the site's own navigation (the loaded files stay in the page).
    const { item, concept } = steeringCase(files);
    await page.locator('.VPSidebar a[href$="/playground/search.html"]').click();
    await page.getByTestId('search-view').waitFor();
    await page.getByTestId('query-item').fill(String(item));
    await page.getByTestId('query-button').click();
    await expect.poll(() => page.locator('[data-testid=neighbours] figure').count()).toBe(12);
    expect((await firstNeighbour(page)).split(' + ')).not.toContain(`concept-${concept}`);
    await page.getByTestId('add-concept').fill(`concept-${concept}`);
    await page.getByTestId('add-concept-button').click();
    // One slider step (half the latent's strongest activation on the items) brings the concept in.
    await page.getByTestId(`plus-${concept}`).click();
    await expect.poll(async () => (await firstNeighbour(page)).split(' + ')).toContain(`concept-${concept}`);
    await page.screenshot({ path: 'test-results/search.png', fullPage: true });
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.foreign).toEqual([]);
  });

  it('a ViT-B/32 (512-d) checkpoint gets real names from the shipped vocabulary the site serves', async () => {
    // Decoder rows = the shipped embeddings of 8 Detic concepts (the 512-d space of CLIP ViT-B/32).
    const vocab = await loadShippedVocabulary('clip-vit-b32-detic-1592');
    const picked = [11, 200, 401, 640, 777, 1000, 1300, 1500];
    const W_dec = new Float32Array(picked.length * 512);
    picked.forEach((r, i) => W_dec.set(vocab.embeddings.data.subarray(r * 512, (r + 1) * 512), i * 512));
    const config = resolveConfig({ dIn: 512, dSae: picked.length, architecture: 'msae', k: 2, weighting: 'rw' });
    const W_enc = new Float32Array(512 * picked.length);
    for (let j = 0; j < picked.length; j++) for (let d = 0; d < 512; d++) W_enc[d * picked.length + j] = W_dec[j * 512 + d];
    const { cfgJson, weights } = encodeCheckpoint({ config, params: { W_enc, b_enc: new Float32Array(picked.length), W_dec, b_dec: new Float32Array(512) }, normalization: { mean: new Float32Array(512), scale: 1 } });
    const dir = await mkdtemp(join(tmpdir(), 'msae-docs-b32-'));
    await writeFile(join(dir, 'cfg.json'), cfgJson);
    await writeFile(join(dir, 'sae_weights.safetensors'), weights);
    const page = await browser.newPage();
    try {
      await page.goto(`${server.origin}/playground/explore.html`);
      await page.getByTestId('checkpoint-files').setInputFiles([join(dir, 'cfg.json'), join(dir, 'sae_weights.safetensors')]);
      await expect.poll(() => page.getByTestId('vocab-choice').inputValue()).toBe('clip-vit-b32-detic-1592');
      await expect.poll(() => page.getByTestId('named-count').textContent(), { timeout: 60_000 }).toBe('8 of 8 latents named');
      const names = await page.locator('[data-testid=latent-list] button').evaluateAll((bs) =>
        bs.map((b) => [Number((b as HTMLElement).dataset.latent), b.querySelector('b')?.textContent ?? ''] as [number, string]).sort((a, b) => a[0] - b[0]).map((x) => x[1]),
      );
      expect(names).toEqual(picked.map((r) => vocab.labels[r]));
    } finally {
      await page.close();
      await rm(dir, { recursive: true, force: true });
    }
    expect(browser.errors).toEqual([]);
    expect(browser.foreign).toEqual([]);
  });
});
