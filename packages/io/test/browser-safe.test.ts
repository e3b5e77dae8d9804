import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { encodeNpy } from '../src/index.js';

it('the browser part bundles for the browser (no Node built-ins) and parses bytes in a bare context', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/browser.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'io',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  expect(code).not.toMatch(/require\(["']node:|from ["']node:/);
  // Run it where only ECMAScript globals (+ TextDecoder) exist: no process, no Buffer, no require.
  const context: Record<string, unknown> = { TextDecoder, TextEncoder };
  runInNewContext(code, context);
  const io = context.io as typeof import('../src/browser.js');
  const bytes = encodeNpy({ data: Float32Array.from([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 });
  const m = io.parseEmbeddings(bytes.buffer as ArrayBuffer, 'fetched.npy');
  expect([m.rows, m.cols, Array.from(m.data)]).toEqual([2, 3, [1, 2, 3, 4, 5, 6]]);
});
