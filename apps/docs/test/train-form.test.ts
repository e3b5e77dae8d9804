/**
 * The Train form checks its fields with the CLI's rules (@msae/training's option schema) and refuses to start;
 * Stop ends a run within 2 s (the worker's loop yields every step) and keeps the checkpoint of the last step.
 */
import { describe, expect, it } from 'vitest';
import { haveChromium } from './headless-browser.js';
import { browserTestsEnabled, useSiteAndBrowser } from './site-fixture.js';

describe.skipIf(!browserTestsEnabled(haveChromium))('playground: the Train form and Stop', () => {
  const site = useSiteAndBrowser();

  it('refuses bad input with the CLI rules: a negative learning rate, a batch larger than the data', async () => {
    const page = await site.browser.newPage();
    await page.goto(`${site.server.origin}/playground/train.html?rows=256&dim=64`);
    await expect.poll(() => page.getByTestId('train-button').isEnabled(), { timeout: 60_000 }).toBe(true); // after the saved session is restored
    await page.getByTestId('lr').fill('-1');
    await expect.poll(() => page.getByTestId('form-problems').textContent()).toMatch(/^lr /);
    expect(await page.getByTestId('train-button').isDisabled()).toBe(true);
    await page.getByTestId('lr').fill('0.0005');
    await page.getByTestId('batch').fill('512');
    await expect.poll(() => page.getByTestId('form-problems').textContent()).toContain('more than the 256 training rows');
    expect(await page.getByTestId('train-button').isDisabled()).toBe(true);
    await page.getByTestId('batch').fill('64');
    await expect.poll(() => page.getByTestId('form-problems').count()).toBe(0);
    expect(await page.getByTestId('train-button').isEnabled()).toBe(true);
    await page.screenshot({ path: 'test-results/train-form.png', fullPage: true });
    await page.close();
    expect(site.browser.errors).toEqual([]);
    expect(site.browser.foreign).toEqual([]);
  });

  it('Stop ends training within 2 s and keeps the checkpoint of the last step', async () => {
    const page = await site.browser.newPage();
    await page.goto(`${site.server.origin}/playground/train.html?backend=tfjs-wasm&rows=2048&dim=128&expansion=4&k=16&epochs=200&batch=64`);
    await page.getByTestId('train-button').click();
    const step = async () => Number(/step (\d+) \//.exec((await page.getByTestId('train-progress').textContent()) ?? '')?.[1] ?? 0);
    await expect.poll(step, { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
    await page.getByTestId('stop-button').click();
    const atStop = await step();
    await page.waitForTimeout(2000);
    const after2s = await step();
    await expect.poll(() => page.getByTestId('train-status').textContent(), { timeout: 120_000 }).toMatch(/^stopped: \d+ steps/);
    const final = await step();
    const reported = Number(/^stopped: (\d+) steps/.exec((await page.getByTestId('train-status').textContent()) ?? '')?.[1]);
    console.log(`stop clicked at step ${atStop}; ${after2s} after 2 s; the run ended at step ${reported} of ${/\/ (\d+)/.exec((await page.getByTestId('train-progress').textContent()) ?? '')?.[1]}`);
    expect(final).toBe(after2s);
    expect(reported).toBe(after2s);
    expect(reported).toBeLessThanOrEqual(atStop + 2);
    // The checkpoint of that step is kept: downloadable, and the session holds it.
    await page.getByTestId('download-cfg').waitFor();
    expect(await page.getByTestId('session-checkpoint').textContent()).toContain('128 → 512');
    await page.close();
    expect(site.browser.errors).toEqual([]);
    expect(site.browser.foreign).toEqual([]);
  });
});
