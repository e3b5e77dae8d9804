/**
 * The core conformance suite on the wasm engine in headless Chromium (no GPU), driven by playwright-core with
 * Debian's chromium. The whole suite runs once in the page; each case is then one test here. Skipped only
 * outside CI when chromium is missing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARCHITECTURES } from '@msae/core';
import { conformanceCases, type ConformanceResult } from '@msae/core/conformance';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPageServer, type PageServer } from './browser/page-server.js';

const CHROMIUM = process.env.MSAE_CHROMIUM ?? '/usr/bin/chromium';
const run = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!run) console.warn(`wasm browser conformance skipped: ${CHROMIUM} not found (apt-get install -y chromium); it always runs when CI is set`);

const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
type Outcome = { availability: { available: boolean; reason?: string }; isolated: boolean; results: ConformanceResult[] };

describe.skipIf(!run)('conformance: wasm engine in headless Chromium', () => {
  let server: PageServer | undefined;
  let context: BrowserContext | undefined;
  let profile = '';
  let outcome: Outcome | undefined;

  beforeAll(async () => {
    server = await startPageServer();
    profile = mkdtempSync(join(tmpdir(), 'msae-wasm-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: false, args: ARGS });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as unknown as { msaeReady?: boolean }).msaeReady === true, null, { timeout: 60_000 }).catch((e: unknown) => {
      throw new Error(`page did not load: ${errors.join('; ') || String(e)}`);
    });
    page.setDefaultTimeout(600_000);
    outcome = await page.evaluate(() => (globalThis as unknown as { msaeConformance(): Promise<Outcome> }).msaeConformance());
  }, 900_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
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
