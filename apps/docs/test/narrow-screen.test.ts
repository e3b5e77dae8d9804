/**
 * At 390 px (a phone): nothing in the playground runs off the right edge of the screen. The Train form wraps inside
 * its box, and wide tables scroll sideways inside the page instead of being cut off.
 */
import { describe, expect, it } from 'vitest';
import { haveChromium, launch, type Browser } from './headless-browser.js';
import { browserTestsEnabled, useSiteAndBrowser } from './site-fixture.js';

type Page = Awaited<ReturnType<Browser['newPage']>>;
const WIDTH = 390;

/** Elements inside the view whose right edge lies beyond the viewport, unless a scrolling ancestor holds them. */
async function overflowing(page: Page, root: string): Promise<string[]> {
  return page.locator(root).evaluate((el, width) => {
    const out: string[] = [];
    for (const e of Array.from(el.querySelectorAll('*'))) {
      let a = e.parentElement;
      let scrolled = false;
      for (; a && a !== el; a = a.parentElement) if (/auto|scroll/.test(getComputedStyle(a).overflowX)) scrolled = true;
      const r = e.getBoundingClientRect();
      if (!scrolled && r.width > 0 && r.right > width + 0.5) out.push(`${e.tagName.toLowerCase()}${e.getAttribute('data-testid') ? `[${e.getAttribute('data-testid')}]` : ''} right=${r.right.toFixed(0)}`);
    }
    return out;
  }, WIDTH);
}

/** A table that is wider than its box scrolls (overflow-x auto) and its box ends inside the screen. */
async function scrollsInside(page: Page, testid: string) {
  return page.getByTestId(testid).evaluate((t) => ({
    overflowX: getComputedStyle(t).overflowX,
    right: t.getBoundingClientRect().right,
    wider: t.scrollWidth > t.clientWidth,
  }));
}

describe.skipIf(!browserTestsEnabled(haveChromium))('playground at 390 px', () => {
  const site = useSiteAndBrowser();

  it('the Train form stays inside the screen and the progressive-k table scrolls instead of being cut off', async () => {
    const page = await site.browser.newPage();
    await page.setViewportSize({ width: WIDTH, height: 800 });
    await page.goto(`${site.server.origin}/playground/train.html?backend=tfjs-wasm&rows=256&dim=32&expansion=2&k=4&epochs=1&batch=64`);
    await expect.poll(() => page.getByTestId('train-button').isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await overflowing(page, '[data-testid=train-view]')).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH);
    await page.getByTestId('train-button').click();
    await page.getByTestId('progressive-table').waitFor({ timeout: 120_000 });
    const table = await scrollsInside(page, 'progressive-table');
    expect(table.overflowX).toBe('auto');
    expect(table.right).toBeLessThanOrEqual(WIDTH);
    expect(table.wider).toBe(true); // 7 columns do not fit 390 px: it is scrolled, not clipped
    expect(await overflowing(page, '[data-testid=train-view]')).toEqual([]);
    await page.close();
    expect(site.browser.errors).toEqual([]);
  });

  it('Explore, Search, Map and Your photos stay inside the screen (the built-in example, in a fresh browser)', async () => {
    const fresh = await launch(site.server.origin, ['--disable-gpu']);
    const page = await fresh.newPage();
    await page.setViewportSize({ width: WIDTH, height: 800 });
    const views: Array<[string, string, string]> = [
      ['/playground/explore.html?latent=16', 'histogram', '.pg'],
      ['/playground/search.html?item=5', 'neighbours-before', '.pg'],
      ['/playground/map.html', 'frequency-plot', '.pg'],
      ['/playground/photos.html', 'embed-button', '.pg'],
    ];
    for (const [path, ready, root] of views) {
      await page.goto(`${site.server.origin}${path}`);
      await page.getByTestId(ready).first().waitFor({ timeout: 120_000 });
      expect({ path, out: await overflowing(page, root) }).toEqual({ path, out: [] });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH);
    }
    expect(fresh.errors).toEqual([]);
    await fresh.close();
  });
});
