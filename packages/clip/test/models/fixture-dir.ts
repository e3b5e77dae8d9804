import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyClipFixture } from '../../src/testing.js';

/** A fresh temp folder holding the generated tiny CLIP fixture (`<tmp>/tiny-clip`). */
export async function tinyClipFixtureDir(): Promise<{ root: string; model: string }> {
  const root = await mkdtemp(join(tmpdir(), 'msae-clip-'));
  const model = await writeTinyClipFixture(join(root, 'tiny-clip'));
  return { root, model };
}

/** max_i |a_i - b_i| */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Row r of a row-major matrix. */
export function row(m: { data: Float32Array; cols: number }, r: number): Float32Array {
  return m.data.subarray(r * m.cols, (r + 1) * m.cols);
}
