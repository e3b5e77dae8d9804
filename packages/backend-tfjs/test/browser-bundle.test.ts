import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORE_SOURCES, sourceAliases } from '@msae/test-support';
import { bundlePage } from './browser/page.js';

describe('browser bundle', () => {
  it('bundles for platform "browser" with no Node built-in import', async () => {
    // esbuild fails a browser build on any static import of a Node built-in; the Node-only paths
    // (wasm file location, tfjs-node) use computed dynamic imports that stay out of the bundle.
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      alias: sourceAliases(fileURLToPath(new URL('../..', import.meta.url)), CORE_SOURCES),
    });
    const code = result.outputFiles[0].text;
    expect(code).not.toMatch(/from\s*["'](node:)?(fs|path|module|url|os|worker_threads)["']/);
    expect(code).not.toMatch(/import\(\s*["']node:/);
    expect(code).toContain('tfjs-node is not installed');
  });

  it('bundles the test page', async () => {
    expect((await bundlePage()).length).toBeGreaterThan(100_000);
  });
});
