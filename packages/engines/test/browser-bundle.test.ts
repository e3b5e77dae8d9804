/** The browser entry bundles for platform 'browser' without reaching node:* or the native engine. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROWSER_ENTRY, NODE_ENTRY, PACKAGE_DIR, PAGE_ENTRY, bundleEngines } from './browser/page.js';

describe('browser bundle of @msae/engines/browser', () => {
  it('builds with no Node built-in and no @msae/backend-cpu among its inputs', async () => {
    const { code, metafile } = await bundleEngines(BROWSER_ENTRY);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((f) => f.includes('backend-tfjs/src/tfjs-engine.ts'))).toBe(true); // tfjs engines are in it
    expect(inputs.some((f) => f.includes('backend-webgpu/src/webgpu-engine.ts'))).toBe(true); // and the WGSL engine
    expect(inputs.filter((f) => /(^|\/)backend-cpu\/|@msae\/backend-cpu|node-engines|register-node|cpu-matmul/.test(f))).toEqual([]);
    // backend-tfjs passes 'node:path' etc. to its hidden importer (Node only); no import names one directly.
    expect(code).not.toMatch(/(from\s*|import\(\s*|require\(\s*)["']node:/);
    expect(code).not.toContain('@msae/backend-cpu');
    // backend-webgpu reaches Dawn (the `webgpu` package) only through its hidden, Node-only import.
    expect(code).not.toMatch(/(from\s*|import\(\s*|require\(\s*)["']webgpu["']/);
    // tfjs-node stays reachable only through backend-tfjs' hidden import (its message is in the bundle).
    expect(code).toContain('tfjs-node is not installed');
  });

  it('the same check refuses the Node entry, naming the native engine', async () => {
    await expect(bundleEngines(NODE_ENTRY)).rejects.toThrow(/'@msae\/backend-cpu' imported by .*node-engines\.ts is not allowed in a browser bundle/);
  });

  it("a browser bundler importing '@msae/engines' gets the browser entry (package.json exports, built dist)", async () => {
    const app = mkdtempSync(join(tmpdir(), 'msae-engines-app-'));
    try {
      mkdirSync(join(app, 'node_modules', '@msae'), { recursive: true });
      symlinkSync(PACKAGE_DIR, join(app, 'node_modules', '@msae', 'engines'), 'dir');
      for (const contents of [
        "import { createEngine } from '@msae/engines'; console.log(createEngine);",
        "import { createEngine } from '@msae/engines/browser'; console.log(createEngine);",
      ]) {
        const { metafile } = await bundleEngines({ contents, resolveDir: app });
        // metafile paths are relative to esbuild's working directory (the current one)
        const inputs = Object.keys(metafile.inputs).map((f) => resolve(f));
        expect(inputs).toContain(join(PACKAGE_DIR, 'dist', 'browser.js'));
        expect(inputs).not.toContain(join(PACKAGE_DIR, 'dist', 'index.js'));
      }
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });

  it('bundles the test page', async () => {
    expect((await bundleEngines(PAGE_ENTRY)).code.length).toBeGreaterThan(100_000);
  });
});
