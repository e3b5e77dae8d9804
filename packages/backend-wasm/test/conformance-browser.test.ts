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
type Outcome = { availability: { available: boolean; reason?: string }; isolated: boolean; results: ConformanceResult[] };

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

  it('is available in the page (WebAssembly SIMD128)', () => {
    expect(outcome?.availability).toEqual({ available: true });
  });

  for (const c of conformanceCases({ architectures: ARCHITECTURES.filter((a) => a !== 'jumprelu') })) {
    it(c.name, () => {
      const r = outcome?.results.find((x) => x.name === c.name);
      expect(r, `case ${c.name} did not run in the page`).toBeDefined();
      expect(r!.error ?? '').toBe('');
      expect(r!.passed).toBe(true);
    });
  }
});
