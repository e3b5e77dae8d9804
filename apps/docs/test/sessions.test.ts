/**
 * Sessions that last and the real example: with every request off the page's host aborted, a first visit
 * shows the shipped real example (named latents, their items, steering, the map); a reload keeps a dropped
 * checkpoint, its names, the `?latent=` view and Search's sliders; a `?latent=` link opens in a fresh
 * browser; a click on the map opens that latent. Screenshots of every view at 1280 px and 390 px.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launch, type Browser } from './headless-browser.js';
import { writePlantedFiles, type PlantedFiles } from './planted-checkpoint.js';
import { browserTestsEnabled, DIST, serveSite } from './site-fixture.js';
import type { StaticServer } from '@msae/test-support';

interface ExampleNames {
  latents: Array<{ index: number; name: string | null }>;
  named: number;
}

describe.skipIf(!browserTestsEnabled(haveChromium))('playground sessions and the built-in example', () => {
  let server: StaticServer;
  let browser: Browser;
  let names: ExampleNames;
  beforeAll(async () => {
    server = await serveSite();
    browser = await launch(server.origin, ['--disable-gpu']);
    names = JSON.parse(readFileSync(join(DIST, 'example', 'names.json'), 'utf8')) as ExampleNames;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('first visit: the real example is there with the network blocked (names, items, evidence, steering)', async () => {
    const page = await browser.newPage();
    const named = names.latents.find((l) => l.name !== null)!;
    await page.goto(`${server.origin}/playground/explore.html?latent=${named.index}`);
    await expect.poll(() => page.getByTestId('named-count').textContent(), { timeout: 60_000 }).toBe(`${names.named} of ${names.latents.length} latents named`);
    expect(await page.getByTestId('latent-name').textContent()).toBe(named.name);
    await expect.poll(() => page.locator('[data-testid=top-items] figure').count(), { timeout: 90_000 }).toBeGreaterThan(0);
    // Items are real: captioned with their source and zero-shot class.
    expect(await page.locator('[data-testid=top-items] figure').first().getAttribute('title')).toMatch(/ · zero-shot: /);
    expect(await page.getByTestId('name-evidence').textContent()).toContain(`"${named.name}"`);
    await page.getByTestId('histogram').waitFor();
    await page.getByTestId('steer-with-latent').click();
    await page.waitForURL(/search\.html/);
    await expect.poll(() => page.locator('[data-testid=neighbours] figure').count(), { timeout: 60_000 }).toBe(12);
    await page.locator(`[data-testid=sliders] [data-latent="${named.index}"]`).waitFor();
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.foreign).toEqual([]);
  });

  it('the map lays out the latents and a click opens that latent', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/playground/map.html`);
    const dots = page.locator('[data-testid=latent-map] circle');
    await expect.poll(() => dots.count(), { timeout: 120_000 }).toBe(names.latents.length);
    await page.locator('[data-testid=frequency-plot] circle').first().waitFor();
    // Point at a named latent's dot with the mouse (dots may overlap: the one under the mouse is the one shown).
    const named = names.latents.find((l) => l.name !== null)!.index;
    const dot = page.locator(`[data-testid=latent-map] circle[data-id="${named}"]`);
    await dot.scrollIntoViewIfNeeded();
    const box = (await dot.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const shown = Number(/^#(\d+)/.exec((await page.getByTestId('map-hover').textContent()) ?? '')?.[1]);
    expect(Number.isInteger(shown)).toBe(true);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForURL(/explore\.html\?latent=/);
    expect(new URL(page.url()).searchParams.get('latent')).toBe(String(shown));
    await expect.poll(() => page.locator('[data-testid=latent-detail] h4').first().textContent(), { timeout: 60_000 }).toContain(`latent #${shown}`);
    if (names.latents[shown].name) expect(await page.getByTestId('latent-name').textContent()).toBe(names.latents[shown].name);
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.foreign).toEqual([]);
  });

  it('a reload keeps a dropped checkpoint, its names, the ?latent= view and the sliders; the link opens elsewhere', async () => {
    const files: PlantedFiles = await writePlantedFiles();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/playground/explore.html`);
      await page.getByTestId('checkpoint-files').setInputFiles(files.checkpoint);
      await expect.poll(() => page.getByTestId('checkpoint-summary').textContent()).toContain('cfg.json + sae_weights.safetensors');
      await page.getByTestId('item-files').setInputFiles(files.items);
      await page.getByTestId('vocab-files').setInputFiles(files.vocabulary);
      await expect.poll(() => page.getByTestId('named-count').textContent(), { timeout: 60_000 }).toMatch(/of 64 latents named/);
      await page.locator('[data-testid=latent-list] button[data-latent="5"]').click();
      await page.reload();
      expect(new URL(page.url()).searchParams.get('latent')).toBe('5');
      await expect.poll(() => page.getByTestId('latent-name').textContent(), { timeout: 60_000 }).toBe('concept-5');
      expect(await page.getByTestId('checkpoint-summary').textContent()).toContain('64 latents');
      // Search: set a slider, reload, the slider and the query are back (state in the URL and in IndexedDB).
      await page.goto(`${server.origin}/playground/search.html?item=3`);
      await expect.poll(() => page.locator('[data-testid=neighbours] figure').count(), { timeout: 60_000 }).toBe(12);
      await page.getByTestId('add-concept').fill('concept-5');
      await page.getByTestId('add-concept-button').click();
      await page.getByTestId('plus-5').click();
      await expect.poll(() => new URL(page.url()).searchParams.get('s') ?? '').toMatch(/^5:|,5:/);
      const strength = await page.getByTestId('strength-5').inputValue();
      await page.goto(`${server.origin}/playground/search.html`);
      await expect.poll(() => page.getByTestId('strength-5').inputValue(), { timeout: 60_000 }).toBe(strength);
      expect(await page.getByTestId('query-item').inputValue()).toBe('3');
      await page.close();
      expect(browser.errors).toEqual([]);
      expect(browser.foreign).toEqual([]);
    } finally {
      await rm(files.dir, { recursive: true, force: true });
    }
    // The shared link, opened in another browser (nothing saved there): the example's latent.
    const other = await launch(server.origin, ['--disable-gpu']);
    try {
      const target = names.latents.filter((l) => l.name !== null)[3];
      const page = await other.newPage();
      await page.goto(`${server.origin}/playground/explore.html?latent=${target.index}`);
      await expect.poll(() => page.getByTestId('latent-name').textContent(), { timeout: 60_000 }).toBe(target.name);
      expect(other.errors).toEqual([]);
      expect(other.foreign).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('screenshots of every view at 1280 px and 390 px', async () => {
    const fresh = await launch(server.origin, ['--disable-gpu']);
    try {
      const page = await fresh.newPage();
      const target = names.latents.find((l) => l.name !== null)!.index;
      const views: Array<[string, string, string]> = [
        ['train', '/playground/train.html', 'train-button'],
        ['explore', `/playground/explore.html?latent=${target}`, 'histogram'],
        ['map', '/playground/map.html', 'latent-map'],
        ['photos', '/playground/photos.html', 'embed-button'],
        ['search', `/playground/search.html?item=5&s=${target}:6`, 'neighbours-before'],
        ['glossary', '/guide/glossary.html', ''],
        ['api', '/api/@msae/core/index.html', ''],
      ];
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        for (const [name, path, waitFor] of views) {
          await page.goto(`${server.origin}${path}`);
          if (waitFor) await page.getByTestId(waitFor).first().waitFor({ timeout: 120_000 });
          // the map: UMAP finished (its layout drawn), not only the first scatter
          if (name === 'map') {
            await page.locator('[data-testid=map-view][data-umap=done]').waitFor({ timeout: 120_000 });
            await page.getByTestId('frequency-plot').waitFor();
            expect(await page.getByTestId('map-status').textContent()).toBe('');
          }
          if (name === 'search') await expect.poll(() => page.locator('[data-testid=neighbours] figure').count(), { timeout: 60_000 }).toBe(12);
          await page.screenshot({ path: `test-results/view-${name}-${width}.png`, fullPage: true });
        }
      }
      expect(fresh.errors).toEqual([]);
      expect(fresh.foreign).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
