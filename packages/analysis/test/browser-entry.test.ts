import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';

it('the browser entry bundles for the browser (no Node built-ins, no CSV or LanceDB) and searches in a bare context', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/browser.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'analysis',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  expect(code).not.toMatch(/require\(["']node:|from ["']node:|csv-parse|lancedb/);
  // Only ECMAScript globals (+ text codecs, performance): no process, no Buffer, no require.
  const context: Record<string, unknown> = { TextDecoder, TextEncoder, performance };
  runInNewContext(code, context);
  const analysis = context.analysis as typeof import('../src/browser.js');
  expect('buildLanceIndex' in analysis).toBe(false);
  // Collection rows e0, e1, e2 (+ a mix); the query leans to e2: e2 first, then the mix.
  const rows = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.7]);
  const hits = await analysis.exactSearch({ data: Float32Array.from([0.1, 0, 1]), rows: 1, cols: 3 }, { data: rows, rows: 4, cols: 3 }, { k: 2 });
  expect(Array.from(hits.rows)).toEqual([2, 3]);
});
