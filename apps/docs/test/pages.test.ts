/**
 * Every page of the built site (guides, playground views, the whole API reference) renders in Chromium
 * without a console error, and no request leaves localhost (everything else is aborted and recorded).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveChromium } from './headless-browser.js';
import { browserTestsEnabled, DIST, useSiteAndBrowser } from './site-fixture.js';

function htmlPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return htmlPages(full);
    return name.endsWith('.html') && name !== '404.html' ? [`/${relative(DIST, full)}`] : [];
  });
}

describe.skipIf(!browserTestsEnabled(haveChromium))('docs site pages', () => {
  const site = useSiteAndBrowser();

  it('every page renders its content without console errors or foreign requests', async () => {
    const pages = htmlPages(DIST);
    expect(pages).toEqual(expect.arrayContaining(['/index.html', '/guide/quick-start.html', '/playground/train.html', '/playground/explore.html', '/playground/photos.html', '/playground/search.html', '/api/index.html']));
    const api = pages.filter((p) => p.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(100);
    // Static HTML: every page has a title and rendered content.
    const titles = new Map<string, string>();
    for (const path of pages) {
      const html = await (await fetch(`${site.server.origin}${path}`)).text();
      const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
      expect(title, path).toMatch(/msae/);
      expect(html.includes('class="VPContent') && html.length > 2000, path).toBe(true);
      titles.set(path, title.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'"));
    }
    const page = await site.browser.newPage();
    // Full loads of every guide and playground page and of each package's API index ...
    const fullLoads = pages.filter((p) => !p.startsWith('/api/') || /^\/api\/(index|@msae\/[^/]+\/index)\.html$/.test(p));
    for (const path of fullLoads) {
      await page.goto(`${site.server.origin}${path}`, { waitUntil: 'load' });
      await page.waitForFunction((t) => document.title === t, titles.get(path));
    }
    await page.close();
    // ... and every API page through the client-side router (how readers move between them), in 3 tabs.
    const queue = [...api];
    await Promise.all(
      [0, 1, 2].map(async () => {
        const tab = await site.browser.newPage();
        await tab.goto(`${site.server.origin}/api/index.html`);
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
          await tab.evaluate((href) => {
            const a = document.createElement('a');
            a.href = href;
            document.querySelector('.VPContent')!.appendChild(a);
            a.click();
          }, path);
          await tab.waitForFunction((t) => document.title === t && (document.querySelector('.VPContent')?.textContent ?? '').trim().length > 20, titles.get(path), { timeout: 10_000 });
        }
        await tab.close();
      }),
    );
    expect(site.browser.errors).toEqual([]);
    expect(site.browser.foreign).toEqual([]);
  });

  it('the playground views mount (browser-only components behind ClientOnly) and local search opens', async () => {
    const page = await site.browser.newPage();
    for (const [path, id] of [
      ['/playground/train.html', 'train-view'],
      ['/playground/explore.html', 'explore-view'],
      ['/playground/photos.html', 'photos-view'],
      ['/playground/search.html', 'search-view'],
    ]) {
      await page.goto(`${site.server.origin}${path}`);
      await page.getByTestId(id).waitFor();
    }
    await page.goto(`${site.server.origin}/guide/quick-start.html`);
    await page.locator('.DocSearch-Button, .VPNavBarSearchButton').first().click();
    await page.locator('.VPLocalSearchBox input').fill('Matryoshka');
    await page.locator('.VPLocalSearchBox .result').first().waitFor();
    expect(await page.locator('.VPLocalSearchBox .result').count()).toBeGreaterThan(0);
    await page.close();
    expect(site.browser.errors).toEqual([]);
    expect(site.browser.foreign).toEqual([]);
  });
});
