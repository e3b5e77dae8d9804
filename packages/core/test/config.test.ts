import { describe, expect, it } from 'vitest';
import { defaultHyperparameters, resolveConfig, validateConfig } from '../src/config-resolution.js';
import { nestingList } from '../src/nesting.js';
import { levelWeights } from '../src/weighting.js';

describe('nesting list', () => {
  it('doubles from k0 while <= dSae and appends dSae when missing', () => {
    expect(nestingList(64, 4096)).toEqual([64, 128, 256, 512, 1024, 2048, 4096]);
    expect(nestingList(64, 3072)).toEqual([64, 128, 256, 512, 1024, 2048, 3072]);
    expect(nestingList(4, 64)).toEqual([4, 8, 16, 32, 64]);
    expect(nestingList(5, 12)).toEqual([5, 10, 12]);
    expect(nestingList(7, 7)).toEqual([7]);
  });
  it('rejects bad k0', () => {
    expect(() => nestingList(0, 10)).toThrow(/positive integer/);
    expect(() => nestingList(20, 10)).toThrow(/must be <= d_sae/);
  });
});

describe('level weights', () => {
  it('uw is all ones, rw is n..1', () => {
    expect(levelWeights(3, 'uw')).toEqual([1, 1, 1]);
    expect(levelWeights(7, 'rw')).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(levelWeights(1, 'rw')).toEqual([1]);
  });
  it('rejects unknown weighting', () => {
    expect(() => levelWeights(3, 'xw' as never)).toThrow(/unknown weighting 'xw'/);
  });
});

describe('resolveConfig', () => {
  it('msae defaults: k0 64, expansion 8, rw, nmse', () => {
    expect(resolveConfig({ dIn: 512, architecture: 'msae' })).toEqual({
      dIn: 512,
      dSae: 4096,
      architecture: 'msae',
      k: 64,
      nesting: [64, 128, 256, 512, 1024, 2048, 4096],
      weights: [7, 6, 5, 4, 3, 2, 1],
      weighting: 'rw',
      loss: 'nmse',
      l1: 0,
    });
  });
  it('topk / batchtopk have one level [k]; relu has [dSae] and l1 0.003', () => {
    expect(resolveConfig({ dIn: 8, architecture: 'topk', k: 3, dSae: 32, loss: 'mse' })).toMatchObject({ nesting: [3], weights: [1], k: 3, loss: 'mse', dSae: 32 });
    expect(resolveConfig({ dIn: 8, architecture: 'batchtopk', k: 5, expansion: 2 })).toMatchObject({ nesting: [5], dSae: 16 });
    expect(resolveConfig({ dIn: 8, architecture: 'relu', expansion: 4 })).toMatchObject({ nesting: [32], k: 32, l1: 0.003, weights: [1] });
    expect(resolveConfig({ dIn: 8, architecture: 'relu', l1: 0.1 }).l1).toBe(0.1);
  });
  it('uw weighting and an explicit nesting list', () => {
    expect(resolveConfig({ dIn: 4, architecture: 'msae', k: 2, dSae: 12, weighting: 'uw' })).toMatchObject({ nesting: [2, 4, 8, 12], weights: [1, 1, 1, 1] });
    expect(resolveConfig({ dIn: 4, architecture: 'msae', dSae: 12, nesting: [3, 12] })).toMatchObject({ k: 3, nesting: [3, 12], weights: [2, 1] });
  });
  it('caps the default k at dSae', () => {
    expect(resolveConfig({ dIn: 2, architecture: 'topk', dSae: 16 }).k).toBe(16);
  });
  it('one-line errors for bad input', () => {
    const bad: [Parameters<typeof resolveConfig>[0], RegExp][] = [
      [{ dIn: 0, architecture: 'msae' }, /dIn must be a positive integer/],
      [{ dIn: 8, architecture: 'foo' as never }, /unknown architecture 'foo'/],
      [{ dIn: 8, architecture: 'topk', k: 100 }, /k \(100\) must be <= d_sae \(64\)/],
      [{ dIn: 8, architecture: 'topk', l1: 0.1 }, /l1 applies only to the relu/],
      [{ dIn: 8, architecture: 'msae', loss: 'l2' as never }, /unknown loss 'l2'/],
      [{ dIn: 8, architecture: 'msae', weighting: 'zz' as never }, /unknown weighting 'zz'/],
      [{ dIn: 8, architecture: 'msae', dSae: 16, expansion: 4 }, /either dSae/],
      [{ dIn: 8, architecture: 'msae', expansion: -1 }, /expansion must be a positive number/],
      [{ dIn: 8, architecture: 'msae', dSae: 16, nesting: [4, 2] }, /strictly ascending/],
      [{ dIn: 8, architecture: 'topk', nesting: [4] }, /nesting applies only to the msae/],
    ];
    for (const [opts, re] of bad) {
      let msg = '';
      try {
        resolveConfig(opts);
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toMatch(re);
      expect(msg).not.toContain('\n');
    }
  });
  it('validateConfig catches inconsistent configs', () => {
    const c = resolveConfig({ dIn: 8, architecture: 'msae', k: 4 });
    expect(() => validateConfig({ ...c, weights: [1] })).toThrow(/one entry per nesting level/);
    expect(() => validateConfig({ ...c, nesting: [4, 100] , weights: [1, 1] })).toThrow(/<= d_sae/);
    expect(() => validateConfig({ ...resolveConfig({ dIn: 8, architecture: 'topk', k: 4 }), nesting: [5] })).toThrow(/nesting must be \[k\]/);
  });
});

describe('defaultHyperparameters', () => {
  it('matches the paper defaults', () => {
    expect(defaultHyperparameters('msae')).toEqual({ lr: 1e-4, l1: 0, batchSize: 4096 });
    expect(defaultHyperparameters('topk')).toEqual({ lr: 5e-4, l1: 0, batchSize: 4096 });
    expect(defaultHyperparameters('batchtopk')).toEqual({ lr: 5e-4, l1: 0, batchSize: 4096 });
    expect(defaultHyperparameters('relu')).toEqual({ lr: 5e-5, l1: 0.003, batchSize: 4096 });
    expect(() => defaultHyperparameters('x' as never)).toThrow(/unknown architecture/);
  });
});
