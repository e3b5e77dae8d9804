import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, decodeOptimizerState, encodeCheckpoint, encodeOptimizerState, type Checkpoint } from '../src/checkpoint.js';
import { resolveConfig } from '../src/config-resolution.js';
import { initParams } from '../src/init.js';
import { zeroAdamState } from '../src/optimizer.js';
import { Rng } from '../src/rng.js';
import { decodeSafetensors, encodeSafetensors } from '../src/safetensors.js';

function sample(): Checkpoint {
  const config = resolveConfig({ dIn: 6, dSae: 24, architecture: 'msae', k: 3, weighting: 'rw' });
  const rng = new Rng(3);
  return {
    config,
    params: initParams(config, 1),
    normalization: { mean: new Float32Array(6).map(() => rng.normal()), scale: 1.7 },
    training: { epochs: 3, seed: 1, data: 'demo (synthetic)', metrics: { fvu: 0.1 } },
  };
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('checkpoint format', () => {
  it('round-trips config, params, normalization and training metadata bit-exactly', () => {
    const ck = sample();
    const { cfgJson, weights } = encodeCheckpoint(ck);
    const back = decodeCheckpoint(cfgJson, weights, 'run1');
    expect(back.config).toEqual(ck.config);
    expect(back.params).toEqual(ck.params);
    expect(back.normalization.mean).toEqual(ck.normalization.mean);
    expect(back.normalization.scale).toBe(1.7);
    expect(back.training).toEqual(ck.training);
  });

  it('cfg.json has the snake_case keys and SAELens extras; weights use SAELens names and layout', () => {
    const { cfgJson, weights } = encodeCheckpoint(sample());
    const cfg = JSON.parse(cfgJson);
    expect(cfg).toMatchObject({
      d_in: 6,
      d_sae: 24,
      architecture: 'msae',
      k: 3,
      nesting: [3, 6, 12, 24],
      weights: [4, 3, 2, 1],
      weighting: 'rw',
      loss: 'nmse',
      l1_coefficient: 0,
      dtype: 'float32',
      apply_b_dec_to_input: true,
      model_name: 'msae',
      format_version: 1,
    });
    expect(cfg.normalization.mean).toHaveLength(6);
    expect(cfg.training.epochs).toBe(3);
    const { tensors } = decodeSafetensors(weights);
    expect(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, [t.dtype, t.shape]]))).toEqual({
      W_enc: ['F32', [6, 24]],
      b_enc: ['F32', [24]],
      W_dec: ['F32', [24, 6]],
      b_dec: ['F32', [6]],
    });
  });

  it('one-line errors for corrupt cfg.json and mismatched weights', () => {
    const ck = sample();
    const { cfgJson, weights } = encodeCheckpoint(ck);
    const cfg = JSON.parse(cfgJson);
    const withCfg = (patch: Record<string, unknown>, drop?: string) => {
      const c = { ...cfg, ...patch };
      if (drop) delete c[drop];
      return JSON.stringify(c);
    };
    const otherShape = encodeCheckpoint({ ...ck, config: resolveConfig({ dIn: 6, dSae: 12, architecture: 'msae', k: 3 }), params: initParams({ dIn: 6, dSae: 12 }, 1) }).weights;
    const missingTensor = encodeSafetensors({ W_enc: { shape: [6, 24], data: ck.params.W_enc } });
    const nan = ck.params.b_dec.slice();
    nan[2] = NaN;
    const nanWeights = encodeCheckpoint({ ...ck, params: { ...ck.params, b_dec: nan } }).weights;
    const cases: [string, Uint8Array, RegExp][] = [
      ['{not json', weights, /run1\/cfg\.json: invalid JSON/],
      ['[1]', weights, /run1\/cfg\.json: expected a JSON object/],
      [withCfg({}, 'nesting'), weights, /run1\/cfg\.json: missing key 'nesting'/],
      [withCfg({ d_in: -1 }), weights, /'d_in' must be a positive integer/],
      [withCfg({ architecture: 'gru' }), weights, /'architecture' must be one of/],
      [withCfg({ weights: [1] }), weights, /one entry per nesting level/],
      [withCfg({ normalization: { mean: [1, 2], scale: 1 } }), weights, /normalization\.mean must be an array of d_in \(6\) numbers/],
      [withCfg({ normalization: { mean: cfg.normalization.mean, scale: 0 } }), weights, /normalization\.scale must be a positive number/],
      [withCfg({ format_version: 99 }), weights, /format_version 99 is newer/],
      [cfgJson, otherShape, /run1\/sae_weights\.safetensors: tensor 'W_enc' has shape \[6, 12\], expected \[6, 24\]/],
      [cfgJson, missingTensor, /missing tensor 'b_enc'/],
      [cfgJson, weights.subarray(0, weights.length - 10), /run1\/sae_weights\.safetensors: truncated/],
      [cfgJson, nanWeights, /tensor 'b_dec' has a non-finite value at index 2/],
    ];
    for (const [c, w, re] of cases) {
      const msg = errorOf(() => decodeCheckpoint(c, w, 'run1'));
      expect(msg).toMatch(re);
      expect(msg).not.toContain('\n');
    }
  });

  it('optimizer state round-trips with its step; shape mismatches are errors', () => {
    const config = resolveConfig({ dIn: 4, dSae: 8, architecture: 'topk', k: 2 });
    const adam = zeroAdamState(config);
    const rng = new Rng(4);
    adam.m.W_enc.forEach((_, i) => (adam.m.W_enc[i] = rng.normal()));
    adam.v.b_dec.forEach((_, i) => (adam.v.b_dec[i] = rng.uniform()));
    adam.step = 17;
    const bytes = encodeOptimizerState(adam);
    expect(decodeOptimizerState(bytes, config)).toEqual(adam);
    expect(() => decodeOptimizerState(bytes, { dIn: 4, dSae: 9 }, 'x/optimizer_state.safetensors')).toThrow(/^x\/optimizer_state\.safetensors: tensor 'm\.W_enc' has 32 values, expected 36$/);
    expect(() => decodeOptimizerState(encodeSafetensors({}), config, 'o')).toThrow(/metadata 'step' is missing/);
  });
});
