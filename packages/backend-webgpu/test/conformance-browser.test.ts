/**
 * The core conformance suite on the WebGPU engine in headless Chromium (--enable-unsafe-webgpu: the
 * SwiftShader adapter), driven by playwright-core with Debian's chromium. The whole suite runs once in the
 * page; each case is then one test here. Skipped only outside CI when chromium is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceCases, type ConformanceResult } from '@msae/core/conformance';
import type { WebGpuAvailability } from '../src/index.js';
import { browserTestsRun, openPage, type OpenPage, type PageServer } from '@msae/test-support';
import { startWebGpuPage } from './browser/page.js';

const run = browserTestsRun('webgpu browser conformance');

describe.skipIf(!run)('conformance: webgpu engine in headless Chromium (SwiftShader)', () => {
  let server: PageServer | undefined;
  let browser: OpenPage | undefined;
  let outcome: { availability: WebGpuAvailability; results: ConformanceResult[] } | undefined;

  beforeAll(async () => {
    server = await startWebGpuPage();
    browser = await openPage(server.url, ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader']);
    const page = browser.page;
    page.setDefaultTimeout(600_000);
    outcome = await page.evaluate(() =>
      (globalThis as unknown as { msaeConformance(): Promise<{ availability: WebGpuAvailability; results: ConformanceResult[] }> }).msaeConformance(),
    );
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds the SwiftShader adapter and reports it as software', () => {
    expect(outcome?.availability.available, outcome?.availability.reason).toBe(true);
    expect(outcome?.availability.software).toBe(true);
  });

  for (const c of conformanceCases({ auxK: false, architectures: ['relu', 'topk', 'batchtopk', 'msae'] })) {
    it(c.name, () => {
      const r = outcome?.results.find((x) => x.name === c.name);
      expect(r, `case ${c.name} did not run in the page`).toBeDefined();
      expect(r!.error ?? '').toBe('');
      expect(r!.passed).toBe(true);
    });
  }
});
