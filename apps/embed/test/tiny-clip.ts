import { writeTinyClipFixture } from '@msae/clip/testing';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temp folder holding @msae/clip's generated tiny CLIP fixture (`<tmp>/tiny-clip`), written by
 * `@msae/clip/testing` (the fixture is deterministic: same bytes on every run).
 */
export async function tinyClipFixtureDir(): Promise<{ root: string; model: string }> {
  const root = await mkdtemp(join(tmpdir(), 'msae-embed-'));
  return { root, model: await writeTinyClipFixture(join(root, 'tiny-clip')) };
}

/** max_i |a_i - b_i| */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
