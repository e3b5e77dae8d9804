import { generateDemoEmbeddings } from '@msae/core';
import { DEMO_DEFAULTS } from '@msae/core/internal';
import type { VocabularyEmbeddings } from './name-latents.js';

/** What the built-in synthetic demo data is called in a checkpoint's cfg.json `training.data`. */
export const DEMO_DATA_PREFIX = 'builtin:demo';

/** True when a checkpoint's recorded training data is the built-in synthetic demo. */
export function isDemoData(recorded: unknown): boolean {
  return typeof recorded === 'string' && recorded.startsWith(DEMO_DATA_PREFIX);
}

/**
 * The demo's own vocabulary: its planted concepts, "coarse concept c" (the coarse directions) and
 * "fine concept c.f" (child f of coarse c), embedded as the very directions the demo data is built
 * from. This is what a checkpoint trained on the demo should be named with: the demo has no real-world
 * content, so a CLIP text vocabulary could only give it made-up names.
 */
export function demoVocabulary(dIn: number = DEMO_DEFAULTS.dIn): VocabularyEmbeddings & { sources: string[] } {
  const { dictionary } = generateDemoEmbeddings({ rows: 1, dIn });
  const { coarse, fine } = dictionary;
  const per = fine.rows / coarse.rows;
  const labels: string[] = [];
  const data = new Float32Array((coarse.rows + fine.rows) * dIn);
  for (let c = 0; c < coarse.rows; c++) {
    labels.push(`coarse concept ${c}`);
    data.set(coarse.data.subarray(c * dIn, (c + 1) * dIn), c * dIn);
  }
  for (let f = 0; f < fine.rows; f++) {
    labels.push(`fine concept ${Math.floor(f / per)}.${f % per}`);
    data.set(fine.data.subarray(f * dIn, (f + 1) * dIn), (coarse.rows + f) * dIn);
  }
  return { labels, embeddings: { data, rows: labels.length, cols: dIn }, sources: labels.map(() => 'demo (planted)') };
}
