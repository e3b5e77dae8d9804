import { describe, expect, it } from 'vitest';
import {
  buildLatentDashboards,
  coactivationParents,
  encodeSparseCodes,
  findNearDuplicates,
  latentColumns,
  type LatentDecision,
  type SparseCodes,
} from '../src/index.js';

/** Codes from a dense [rows, dSae] activation table. */
function codesOf(dense: number[][]): SparseCodes {
  const rowStart = new Int32Array(dense.length + 1);
  const latent: number[] = [];
  const value: number[] = [];
  dense.forEach((row, r) => {
    row.forEach((v, j) => {
      if (v > 0) {
        latent.push(j);
        value.push(v);
      }
    });
    rowStart[r + 1] = latent.length;
  });
  return { rows: dense.length, dSae: dense[0].length, rowStart, latent: Int32Array.from(latent), value: Float32Array.from(value) };
}

const decision = (index: number, name: string | null): LatentDecision => ({ index, name, candidates: [], evidence: null, summary: '' });

describe('latent dashboards', () => {
  it('collapses near-duplicate rows in top lists and frequency, and bins every active row', async () => {
    // rows 0 and 1 are the same embedding, row 2 differs; latent 0 fires on all three
    const data = { data: new Float32Array([1, 0, 1, 0, 0, 1]), rows: 3, cols: 2 };
    const dup = await findNearDuplicates(data);
    expect(Array.from(dup.representative)).toEqual([0, 0, 2]);
    expect(dup.duplicateRows).toBe(1);
    const codes = codesOf([
      [3, 0],
      [3, 0],
      [1, 2],
    ]);
    const columns = latentColumns(codes);
    const decoder = { data: new Float32Array([1, 0, 0.6, 0.8]), rows: 2, cols: 2 };
    const [d0, d1] = await buildLatentDashboards({ decoder, decisions: [decision(0, 'a'), decision(1, null)], columns, dataRows: 3, duplicates: dup, rowSources: ['x', 'x', 'y'], nearest: 1 });
    expect(d0.top.map((e) => [e.row, e.activation, e.duplicates, e.source])).toEqual([
      [0, 3, 2, 'x'],
      [2, 1, 1, 'y'],
    ]);
    expect(d0.frequency).toBe(1); // 2 distinct active rows of 2 distinct rows
    expect(d1.frequency).toBe(0.5);
    expect(d0.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(d0.nearest).toEqual([{ index: 1, cosine: 0.6, name: null }]);
  });

  it('finds the coarse latent a fine latent co-activates with, by nesting level', () => {
    // nesting [2, 4]: latents 0-1 coarse, 2-3 fine; latent 2 fires with 0 on 3 of 4 rows, with 1 once
    const codes = codesOf([
      [1, 0, 1, 0],
      [1, 0, 1, 0],
      [1, 0, 1, 1],
      [0, 1, 1, 1],
    ]);
    const parents = coactivationParents(codes, [2, 4]);
    expect(parents[0]).toBeNull();
    expect(parents[2]).toEqual({ index: 0, coactivation: 0.75 });
    expect(parents[3]).toEqual({ index: 0, coactivation: 0.5 }); // tie with latent 1: lower index
  });

  it('encodes like the checkpoint: ReLU then per-row top-k', async () => {
    // identity encoder, zero biases, no normalization shift
    const encoder = { dIn: 3, dSae: 3, W_enc: new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), b_enc: new Float32Array(3), b_dec: new Float32Array(3) };
    const data = { data: new Float32Array([0.5, -1, 2, 3, 1, 0]), rows: 2, cols: 3 };
    const codes = await encodeSparseCodes({ data, encoder, normalization: { mean: [0, 0, 0], scale: 1 }, k: 1 });
    expect(Array.from(codes.rowStart)).toEqual([0, 1, 2]);
    expect(Array.from(codes.latent)).toEqual([2, 0]);
    expect(Array.from(codes.value)).toEqual([2, 3]);
  });
});
