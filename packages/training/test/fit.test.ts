import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReferenceEngine, generateDemoEmbeddings } from '@msae/core';
import { loadCheckpoint } from '@msae/io';
import { afterAll, describe, expect, it } from 'vitest';
import { fit, TrainingError, TrainingOptionError } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'msae-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const x = generateDemoEmbeddings({ rows: 600, dIn: 16, seed: 3 }).x;
const val = generateDemoEmbeddings({ rows: 200, dIn: 16, seed: 4 }).x;
const options = { architecture: 'topk', k: 4, latents: 32, epochs: 3, batchSize: 64, lr: 0.003, seed: 5, engine: 'reference' } as const;

describe('fit()', () => {
  it('trains, and the model encodes, decodes and evaluates raw rows consistently (FVU = residual / variance by hand)', async () => {
    const epochs: number[] = [];
    const model = await fit(x, { ...options, validation: val, onEpoch: (e) => void epochs.push(e.val[0].fvu) });
    expect(model.training.steps).toBe(3 * Math.ceil(600 / 64));
    expect(epochs).toHaveLength(3);
    expect(epochs[2]).toBeLessThan(epochs[0]);
    const [rec] = await model.evaluate(val, [4]);
    const codes = await model.encode(val, 4);
    for (let r = 0; r < val.rows; r++) expect(codes.subarray(r * 32, (r + 1) * 32).filter((v) => v !== 0).length).toBeLessThanOrEqual(4);
    const recon = await model.decode(codes, val.rows);
    // per-row FVU (the paper's): mean over rows of Var_d(x - x_hat) / Var_d(x), raw units
    const variance = (v: number[]) => v.reduce((a, b) => a + b * b, 0) / v.length - (v.reduce((a, b) => a + b, 0) / v.length) ** 2;
    let fvu = 0;
    for (let r = 0; r < val.rows; r++) {
      const xr = Array.from(val.data.subarray(r * 16, (r + 1) * 16));
      fvu += variance(xr.map((v, d) => v - recon[r * 16 + d])) / variance(xr) / val.rows;
    }
    expect(rec.fvu).toBeCloseTo(fvu, 4);
    expect(rec.fvu).toBeCloseTo(epochs[2], 6);
    await model.dispose();
  });

  it('takes an engine object, stops within one step on abort and returns that step\'s model', async () => {
    const stop = new AbortController();
    const model = await fit(x, { ...options, engine: createReferenceEngine(), signal: stop.signal, onStep: (p) => void (p.globalStep === 4 && stop.abort()) });
    expect([model.training.steps, model.training.stopped]).toEqual([4, true]);
  });

  it('saves into a directory whose parents do not exist yet (Node), readable by @msae/io', async () => {
    const model = await fit(x, { ...options, epochs: 1 });
    const out = join(dir, 'a', 'b', 'run');
    await model.save(out);
    expect(existsSync(join(out, 'cfg.json'))).toBe(true);
    const back = await loadCheckpoint(out);
    expect(back.config).toEqual(model.config);
    expect(Array.from(back.params.W_dec)).toEqual(Array.from(model.params.W_dec));
  });

  it('names latents from a vocabulary through @msae/concepts (a planted concept on a decoder direction is found)', async () => {
    const model = await fit(x, { ...options, epochs: 1 });
    // vocabulary: latent 7's decoder direction in raw space (row mapping: W_dec row * scale), and 40 random directions
    const rnd = generateDemoEmbeddings({ rows: 40, dIn: 16, seed: 9 }).x;
    const embeddings = new Float32Array(41 * 16);
    embeddings.set(model.params.W_dec.subarray(7 * 16, 8 * 16));
    embeddings.set(rnd.data, 16);
    const labels = ['planted', ...Array.from({ length: 40 }, (_, i) => `noise${i}`)];
    const result = (await model.name({ labels, embeddings: { data: embeddings, rows: 41, cols: 16 } }, { centerVocabulary: false })) as { latents: Array<{ index: number; candidates: Array<{ label: string; score: number }> }> };
    const best = result.latents[7].candidates[0];
    expect(best.label).toBe('planted');
    expect(best.score).toBeCloseTo(1, 5);
  });

  it('refuses bad input with messages that name the mistake', async () => {
    const f64 = { data: new Float64Array(600 * 16), rows: 600, cols: 16 } as never;
    await expect(fit(f64, options)).rejects.toThrow('rows: data must be a Float32Array, got Float64Array');
    await expect(fit(x, { ...options, validation: { data: new Float32Array(80), rows: 10, cols: 8 } })).rejects.toThrow("validation: has 8 columns but the SAE's d_in is 16");
    await expect(fit(x, { ...options, lr: -1 })).rejects.toThrow(new TrainingOptionError('lr', 'lr must be a positive number, got -1', ''));
    await expect(fit(x, { ...options, architecture: 'relu' })).rejects.toThrow('k applies to architecture topk, batchtopk, msae, matryoshka-batchtopk only (not relu)');
    await expect(fit(x, { ...options, batchSize: 1000 })).rejects.toThrow('batchSize is 1000, more than the 600 training rows');
    const model = await fit(x, { ...options, epochs: 1 });
    await expect(model.encode({ data: new Float32Array(8 * 3), rows: 3, cols: 8 })).rejects.toBeInstanceOf(TrainingError);
  });
});
