/**
 * The core conformance suite on the wasm engine in headless Chromium (no GPU), driven by playwright-core with
 * Debian's chromium. The whole suite runs once in the page; each case is then one test here. Skipped only
 * outside CI when chromium is missing.
 */
import { ARCHITECTURES } from '@msae/core';
import { conformanceCases, type ConformanceResult } from '@msae/core/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsRun, openPage, type OpenPage, type PageServer } from '@msae/test-support';
import { startWasmPage } from './browser/page.js';

const run = browserTestsRun('wasm browser conformance');
type Support = { available: boolean; reason?: string };
type Outcome = { availability: Support; threadSupport: Support; isolated: boolean; threads: number[]; results: ConformanceResult[] };

describe.skipIf(!run)('conformance: wasm engine in headless Chromium', () => {
  let server: PageServer | undefined;
  let browser: OpenPage | undefined;
  let outcome: Outcome | undefined;

  beforeAll(async () => {
    server = await startWasmPage();
    browser = await openPage(server.url, ['--disable-gpu']);
    const page = browser.page;
    page.setDefaultTimeout(600_000);
    outcome = await page.evaluate(() => (globalThis as unknown as { msaeConformance(): Promise<Outcome> }).msaeConformance());
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is available in the page (WebAssembly SIMD128), with threads in the cross-origin isolated page; engines ran on 2 and on 1', () => {
    expect(outcome?.availability).toEqual({ available: true });
    expect([outcome?.isolated, outcome?.threadSupport]).toEqual([true, { available: true }]);
    expect(outcome?.threads).toEqual([1, 2]);
  });

  for (const threads of [2, 1])
  for (const c of conformanceCases({ architectures: ARCHITECTURES.filter((a) => a !== 'jumprelu') })) {
    it(`threads ${threads}: ${c.name}`, () => {
      const name = `threads ${threads}: ${c.name}`;
      const r = outcome?.results.find((x) => x.name === name);
      expect(r, `case ${c.name} did not run in the page`).toBeDefined();
      expect(r!.error ?? '').toBe('');
      expect(r!.passed).toBe(true);
    });
  }
});
