/**
 * Explore lists the planted concepts' names for a planted-concept checkpoint (dropped files), with the
 * latent id in the URL, top items and the Matryoshka levels; Search & steer: raising a planted concept's
 * strength moves items that contain it to the top of the neighbours.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, launch, type Browser } from './headless-browser.js';
import { writePlantedFiles, type PlantedFiles } from './planted-checkpoint.js';
import { browserTestsEnabled, serveSite } from './site-fixture.js';
import type { StaticServer } from './static-server.js';

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
    await page.getByTestId('checkpoint-files').setInputFiles(files.checkpoint);
    await page.getByTestId('checkpoint-summary').waitFor();
    await page.getByTestId('item-files').setInputFiles(files.items);
    await page.getByTestId('vocab-files').setInputFiles(files.vocabulary);
    await page.getByTestId('named-count').waitFor({ timeout: 60_000 });

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
    const topLabels = await page.locator('[data-testid=top-items] figure').evaluateAll((fs) => fs.map((f) => f.getAttribute('title') ?? ''));
    expect(topLabels.length).toBeGreaterThan(3);
    expect(topLabels.every((l) => l.split(' + ').includes('concept-5'))).toBe(true);
    await page.getByTestId('histogram').waitFor();
    await page.screenshot({ path: 'test-results/explore.png', fullPage: true });

    // Matryoshka view: reconstruction improves from k = 16 to k = d_sae.
    await page.getByTestId('item-row').fill('7');
    await page.getByTestId('levels-button').click();
    const levels = await page.locator('[data-testid=levels-table] tbody tr').evaluateAll((trs) => trs.map((t) => [Number((t as HTMLElement).dataset.k), Number((t as HTMLElement).dataset.cosine)]));
    expect(levels.map((l) => l[0])).toEqual([16, 64]);
    expect(levels[1][1]).toBeGreaterThan(levels[0][1]);

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
    await page.getByTestId(`strength-${concept}`).fill('40');
    await expect.poll(async () => (await firstNeighbour(page)).split(' + ')).toContain(`concept-${concept}`);
    await page.screenshot({ path: 'test-results/search.png', fullPage: true });
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.foreign).toEqual([]);
  });
});
