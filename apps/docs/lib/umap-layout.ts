import type { Matrix } from '@msae/core';

/** A small seeded generator (mulberry32) so the same checkpoint always gets the same map. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows scaled to unit length (UMAP's euclidean distance on them orders pairs like the cosine does). */
function unitRows(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, r) => {
    const row = Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols));
    const n = Math.hypot(...row) || 1;
    return row.map((v) => v / n);
  });
}

/**
 * 2-D UMAP layout (umap-js) of the rows by direction, 15 neighbours, 200 epochs, seed 1; `onProgress` gets the
 * fraction of epochs done. Returns [rows, 2] coordinates.
 */
export async function umapLayout(m: Matrix, onProgress?: (fraction: number) => void): Promise<Float32Array> {
  const { UMAP } = await import('umap-js');
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, Math.max(2, m.rows - 1)), minDist: 0.1, nEpochs: 200, random: seeded(1) });
  const nEpochs = umap.initializeFit(unitRows(m));
  for (let e = 0; e < nEpochs; e++) {
    umap.step();
    if (e % 20 === 0) {
      onProgress?.(e / nEpochs);
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  const out = new Float32Array(m.rows * 2);
  umap.getEmbedding().forEach((p, i) => out.set([p[0], p[1]], i * 2));
  return out;
}
