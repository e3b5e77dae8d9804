/**
 * The core conformance suite on the WebGPU engine in headless Chromium (--enable-unsafe-webgpu: the
 * SwiftShader adapter), driven by playwright-core with Debian's chromium. The whole suite runs once in the
 * page; each case is then one test here. Skipped only outside CI when chromium is missing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceCases, type ConformanceResult } from '@msae/core/conformance';
import type { WebGpuAvailability } from '../src/index.js';
import { startPageServer, type PageServer } from './browser/page-server.js';

const CHROMIUM = process.env.MSAE_CHROMIUM ?? '/usr/bin/chromium';
const run = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!run) console.warn(`webgpu browser conformance skipped: ${CHROMIUM} not found (apt-get install -y chromium); it always runs when CI is set`);

const ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

describe.skipIf(!run)('conformance: webgpu engine in headless Chromium (SwiftShader)', () => {
  let server: PageServer | undefined;
  let context: BrowserContext | undefined;
  let profile = '';
  let outcome: { availability: WebGpuAvailability; results: ConformanceResult[] } | undefined;

  beforeAll(async () => {
    server = await startPageServer();
    profile = mkdtempSync(join(tmpdir(), 'msae-webgpu-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: false, args: ARGS });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as unknown as { msaeReady?: boolean }).msaeReady === true, null, { timeout: 60_000 }).catch((e: unknown) => {
      throw new Error(`page did not load: ${errors.join('; ') || String(e)}`);
    });
    page.setDefaultTimeout(600_000);
    outcome = await page.evaluate(() =>
      (globalThis as unknown as { msaeConformance(): Promise<{ availability: WebGpuAvailability; results: ConformanceResult[] }> }).msaeConformance(),
    );
  }, 900_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
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
