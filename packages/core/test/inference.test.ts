import { describe, expect, it } from 'vitest';
import { inferenceConformanceCases } from '../src/conformance/index.js';
import { createSaeInference, decodeSparse, encodeCodes, gatedActivations, InferenceInputError, keepTopK, preActivations } from '../src/inference/index.js';
import { isMsaeError } from '../src/errors.js';
import type { SaeParams } from '../src/engine.js';
import { keepTopKPerRow } from '../src/topk-selection.js';

describe('inference conformance: core inference module vs the reference engine, every architecture', () => {
  const cases = inferenceConformanceCases();
  it('covers every architecture of the registry, jumprelu included', () => {
    const archs = new Set(cases.map((c) => c.name.split(' ')[0]));
    expect([...archs].sort()).toEqual(['batchtopk', 'jumprelu', 'matryoshka-batchtopk', 'msae', 'relu', 'topk']);
  });
  for (const c of cases) it(c.name, () => c.run());
});

/** 2 latents on 1-d inputs: pre_j = x W_enc[0, j] + b_enc[j] (b_dec 0), hand-computable. */
function tiny(logThreshold?: number[]): SaeParams {
  return {
    W_enc: Float32Array.from([1, 2]),
    b_enc: Float32Array.from([0, -0.5]),
    W_dec: Float32Array.from([1, 10]),
    b_dec: Float32Array.from([0]),
    ...(logThreshold ? { log_threshold: Float32Array.from(logThreshold) } : {}),
  };
}

describe('inference module: known answers', () => {
  const x = { data: Float32Array.from([0.4, 1, -1]), rows: 3, cols: 1 };
  it('relu gate: z = max(pre, 0) (pre = [0.4, 0.3], [1, 1.5], [-1, -2.5])', async () => {
    const m = createSaeInference({ config: { dIn: 1, dSae: 2, architecture: 'topk' }, params: tiny() });
    expect(Array.from(await encodeCodes(m, x))).toEqual([0.4, 0.3, 1, 1.5, 0, 0].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(await encodeCodes(m, x, { k: 1 }))).toEqual([0.4, 0, 0, 1.5, 0, 0].map((v) => expect.closeTo(v, 6)));
  });
  it('jumprelu gate: theta = exp(log_threshold) = [0.5, 1] removes codes at or below their threshold', async () => {
    const m = createSaeInference({ config: { dIn: 1, dSae: 2, architecture: 'jumprelu' }, params: tiny([Math.log(0.5), 0]) });
    expect(m.gateKind).toBe('jumprelu');
    // row 0: 0.4 <= 0.5 and 0.3 <= 1 both gated; row 1: 1 > 0.5 kept, 1.5 > 1 kept
    expect(Array.from(await encodeCodes(m, x))).toEqual([0, 0, 1, 1.5, 0, 0]);
    expect(Array.from(await gatedActivations(m, x, { latents: [1] }))).toEqual([0, 1.5, 0]);
  });
  it('a log_threshold without an architecture is applied, never ignored', () => {
    expect(createSaeInference({ config: { dIn: 1, dSae: 2 }, params: tiny([0, 0]) }).gateKind).toBe('jumprelu');
    expect(createSaeInference({ config: { dIn: 1, dSae: 2 }, params: tiny() }).gateKind).toBe('relu');
  });
  it('jumprelu without log_threshold is refused with a typed one-line error', () => {
    const run = () => createSaeInference({ config: { dIn: 1, dSae: 2, architecture: 'jumprelu' }, params: tiny() });
    expect(run).toThrow(InferenceInputError);
    expect(run).toThrow('SAE parameters: the jumprelu gate needs log_threshold of 2 values, got none');
  });
  it('normalization: pre uses x_n = (x - mean) * scale and decode returns x^_n / scale + mean', async () => {
    const m = createSaeInference({ config: { dIn: 1, dSae: 2, architecture: 'relu' }, params: tiny(), normalization: { mean: Float32Array.from([1]), scale: 2 } });
    // x = 1.5 -> x_n = 1 -> pre = [1, 1.5]; decode: 1*1 + 1.5*10 = 16 -> 16 / 2 + 1 = 9
    const one = { data: Float32Array.from([1.5]), rows: 1, cols: 1 };
    expect(Array.from(await preActivations(m, one))).toEqual([1, 1.5]);
    expect(Array.from(decodeSparse(m, { rows: 1, indptr: [0, 2], indices: [0, 1], values: [1, 1.5] }))).toEqual([9]);
  });
  it('refuses a width that does not fit and a bad k, typed', async () => {
    const m = createSaeInference({ config: { dIn: 1, dSae: 2, architecture: 'relu' }, params: tiny() });
    await expect(encodeCodes(m, { data: new Float32Array(4), rows: 2, cols: 2 })).rejects.toThrow('embeddings: have 2 dimensions but the SAE has d_in = 1');
    const err = await encodeCodes(m, x, { k: 0 }).catch((e) => e);
    expect(isMsaeError(err)).toBe(true);
  });
  it('keepTopK agrees with the reference selection (keepTopKPerRow) on non-negative codes with many ties', () => {
    const rows = 20;
    const cols = 40;
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    // quantized to quarters, a third of them zero: many ties at every k
    const z = Float32Array.from({ length: rows * cols }, () => (next() < 0.33 ? 0 : Math.round(next() * 16) / 4));
    for (const k of [1, 3, 8, 17, 39, 40, 60]) expect(Array.from(keepTopK(z, rows, cols, k))).toEqual(Array.from(keepTopKPerRow(z, rows, cols, k)));
  });
  it('keepTopK: ties keep the lower index; rows with <= k positives are copied', () => {
    const z = Float32Array.from([2, 1, 2, 0, -1, 3, 0, 0]);
    expect(Array.from(keepTopK(z, 2, 4, 2))).toEqual([2, 0, 2, 0, 0, 3, 0, 0]);
    expect(Array.from(keepTopK(z, 2, 4, 1))).toEqual([2, 0, 0, 0, 0, 3, 0, 0]);
  });
});
