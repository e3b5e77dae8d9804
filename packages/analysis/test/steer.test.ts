import { createReferenceEngine, normalize } from '@msae/core';
import { describe, expect, it } from 'vitest';
import {
  createSaeModel,
  decodeRows,
  denseCodes,
  encodeRows,
  parseEdit,
  resolveEdits,
  steer,
  UnknownConceptError,
  AnalysisError,
  type SparseCodes,
} from '../src/index.js';
import { randomSae, unitData } from './fixtures.js';

const sae = randomSae();
const model = createSaeModel(sae);
const x = unitData(37, 12);

describe('encode / decode from parameters', () => {
  it.each([undefined, 4, 9])('encode matches the reference engine on normalized inputs (k = %s)', async (k) => {
    const engine = createReferenceEngine();
    await engine.load({ config: sae.config, params: sae.params });
    const expected = await engine.encode(normalize(x.data, sae.normalization), x.rows, k);
    const codes = denseCodes(await encodeRows(model, x, { k, blockRows: 10 }));
    expect(codes.length).toBe(expected.length);
    for (let i = 0; i < codes.length; i++) expect(codes[i]).toBeCloseTo(expected[i], 5);
  });

  it('decode undoes the normalization: equals engine.decode then x / scale + mean', async () => {
    const engine = createReferenceEngine();
    await engine.load({ config: sae.config, params: sae.params });
    const codes = await encodeRows(model, x);
    const normalized = await engine.decode(denseCodes(codes), x.rows);
    const ours = decodeRows(model, codes);
    for (let i = 0; i < ours.length; i++) {
      const d = i % 12;
      expect(ours[i]).toBeCloseTo(normalized[i] / sae.normalization.scale + sae.normalization.mean[d], 5);
    }
  });
});

describe('steering', () => {
  it('no edit returns x exactly (bit for bit)', async () => {
    for (const k of [undefined, 4]) {
      const out = await steer(model, x, [], { k });
      expect(Array.from(out.data)).toEqual(Array.from(x.data));
      expect(Math.max(...out.shift)).toBe(0);
    }
  });

  it('x\' = x + decode(z\') - decode(z) for set, scale and add edits', async () => {
    const edits = resolveEdits([parseEdit('5=*3'), parseEdit('7=0'), parseEdit('2=+0.4'), parseEdit('5+=0.1')], 48);
    const codes = await encodeRows(model, x, { k: 4 });
    const out = await steer(model, x, edits, { k: 4 });
    const edited = denseCodes(codes);
    for (let r = 0; r < x.rows; r++) {
      const o = r * 48;
      edited[o + 5] = edited[o + 5] * 3 + 0.1;
      edited[o + 7] = 0;
      edited[o + 2] += 0.4;
    }
    const sparse = (dense: Float32Array): SparseCodes => {
      const indptr = new Uint32Array(x.rows + 1);
      const idx: number[] = [];
      const val: number[] = [];
      for (let r = 0; r < x.rows; r++) {
        for (let j = 0; j < 48; j++) if (dense[r * 48 + j] !== 0) idx.push(j), val.push(dense[r * 48 + j]);
        indptr[r + 1] = idx.length;
      }
      return { rows: x.rows, dSae: 48, indptr, indices: Uint32Array.from(idx), values: Float32Array.from(val) };
    };
    const before = decodeRows(model, codes);
    const after = decodeRows(model, sparse(edited));
    for (let i = 0; i < out.data.length; i++) expect(out.data[i]).toBeCloseTo(x.data[i] + after[i] - before[i], 5);
    expect(Math.min(...out.shift)).toBeGreaterThan(0);
  });

  it('renormalize gives unit rows in the edit\'s direction', async () => {
    const edits = resolveEdits([parseEdit('3=2')], 48);
    const raw = await steer(model, x, edits);
    const unit = await steer(model, x, edits, { renormalize: true });
    for (let r = 0; r < x.rows; r++) {
      let n = 0;
      for (let d = 0; d < 12; d++) n += raw.data[r * 12 + d] ** 2;
      for (let d = 0; d < 12; d++) expect(unit.data[r * 12 + d]).toBeCloseTo(raw.data[r * 12 + d] / Math.sqrt(n), 6);
    }
  });
});

describe('edits', () => {
  const naming = {
    latents: [
      { index: 4, name: 'tent', score: 0.3, margin: 0.1, z: 5, candidates: [{ label: 'tent' }] },
      { index: 9, name: 'Tent', score: 0.3, margin: 0.1, z: 4, candidates: [{ label: 'tent' }] },
      { index: 1, name: null, score: 0.1, margin: 0, z: 1, candidates: [{ label: 'dog' }] },
    ],
  };

  it('parses set, scale and add in both spellings', () => {
    expect(parseEdit('tent=*3')).toEqual({ target: 'tent', op: 'scale', value: 3 });
    expect(parseEdit('1234=0')).toEqual({ target: 1234, op: 'set', value: 0 });
    expect(parseEdit('sea lion=+1.5')).toEqual({ target: 'sea lion', op: 'add', value: 1.5 });
    expect(parseEdit('dog-=2')).toEqual({ target: 'dog', op: 'add', value: -2 });
    expect(parseEdit('dog*=0.5')).toEqual({ target: 'dog', op: 'scale', value: 0.5 });
    expect(() => parseEdit('tent=lots')).toThrow(AnalysisError);
    expect(() => parseEdit('tent')).toThrow(/TARGET=VALUE/);
  });

  it('a concept maps to every latent named with it; unknown concepts are typed errors', () => {
    expect(resolveEdits([parseEdit('TENT=*2')], 48, naming).map((e) => e.latent)).toEqual([4, 9]);
    expect(() => resolveEdits([parseEdit('dog=0')], 48, naming)).toThrow(UnknownConceptError);
    expect(() => resolveEdits([parseEdit('48=0')], 48)).toThrow(/latents 0..47/);
    expect(() => resolveEdits([parseEdit('tent=0')], 48)).toThrow(/naming result/);
  });
});
