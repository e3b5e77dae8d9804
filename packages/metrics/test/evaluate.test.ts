import { describe, expect, it } from 'vitest';
import { computeNormalization, createReferenceEngine, initParams, resolveConfig, type Matrix } from '@msae/core';
import { cknna, cosine, deadLatents, evaluateSae, evaluateSaeStream, fvu, fvuGlobal, l0, nmae } from '../src/index.js';
import { randomMatrix } from './random-data.js';

const dIn = 8;
const dSae = 32;
const rows = 50;

async function setup() {
  const config = resolveConfig({ dIn, dSae, architecture: 'msae', k: 4 });
  const params = initParams(config, 3);
  // non-zero biases and a larger encoder so codes are varied
  const noise = randomMatrix(1, dSae + dIn, 4, 0.05);
  params.b_enc.set(noise.data.subarray(0, dSae));
  params.b_dec.set(noise.data.subarray(dSae));
  for (let i = 0; i < params.W_enc.length; i++) params.W_enc[i] *= 10;
  const engine = createReferenceEngine();
  await engine.load({ config, params });
  const x = randomMatrix(rows, dIn, 5, 0.2, 0.3); // CLIP-like: a shared mean plus spread
  const normalization = computeNormalization(x);
  return { engine, x, normalization };
}

describe('evaluateSae with the reference engine', () => {
  it('matches the metrics computed directly from engine.encode(x_n, rows, k) / decode', async () => {
    const { engine, x, normalization } = await setup();
    const progress: Array<[number, number]> = [];
    const cknnaRows = 20;
    const records = await evaluateSae({
      engine,
      x,
      normalization,
      ks: [Infinity, 4, 8, 30], // 30: past every row's positive count, so its codes (and CKNNA kernel) equal k = 32's
      cknnaRows,
      cknnaTopk: 5,
      batchSize: 16,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(records.map((r) => r.k)).toEqual([4, 8, 30, dSae]);
    expect(records[2].cknna).toBe(records[3].cknna);

    const xn = new Float32Array(x.data.length);
    for (let i = 0; i < xn.length; i++) xn[i] = (x.data[i] - normalization.mean[i % dIn]) * normalization.scale;
    for (const record of records) {
      const z = await engine.encode(xn, rows, record.k);
      const recon = await engine.decode(z, rows);
      for (let i = 0; i < recon.length; i++) recon[i] = recon[i] / normalization.scale + normalization.mean[i % dIn];
      const xhat: Matrix = { data: recon, rows, cols: dIn };
      const codes: Matrix = { data: z, rows, cols: dSae };
      expect(record.fvu).toBeCloseTo(fvu(x, xhat), 6);
      expect(record.fvuGlobal).toBeCloseTo(fvuGlobal(x, xhat), 6);
      expect(record.cosine).toBeCloseTo(cosine(x, xhat), 6);
      expect(record.nmae).toBeCloseTo(nmae(x, xhat), 6);
      expect(record.l0).toBeCloseTo(l0(codes), 10);
      expect(record.sparsity).toBeCloseTo(1 - l0(codes) / dSae, 10);
      expect(record.deadLatents).toBe(deadLatents(codes));
      const first = (m: Matrix, n: number): Matrix => ({ data: m.data.subarray(0, n * m.cols), rows: n, cols: m.cols });
      expect(record.cknna).toBeCloseTo(cknna(first(x, cknnaRows), first(codes, cknnaRows), { topk: 5 }), 6);
      expect(record.l0).toBeLessThanOrEqual(record.k);
    }
    // more latents kept -> better reconstruction on this SAE
    expect(records[3].fvu).toBeLessThan(records[0].fvu);
    const last = progress[progress.length - 1];
    expect(last[0]).toBe(last[1]);
    expect(last[1]).toBe((rows + 1) * 4);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThan(progress[i - 1][0]);
  });

  it('streamed batches give the same records as the in-memory driver', async () => {
    const { engine, x, normalization } = await setup();
    const direct = await evaluateSae({ engine, x, normalization, ks: [4, 16], cknnaRows: 30, batchSize: 50 });
    async function* batches() {
      for (let start = 0; start < rows; start += 7) {
        const n = Math.min(7, rows - start);
        yield { data: x.data.slice(start * dIn, (start + n) * dIn), rows: n, cols: dIn };
      }
    }
    const streamed = await evaluateSaeStream({ engine, batches: batches(), normalization, ks: [4, 16], cknnaRows: 30 });
    for (let i = 0; i < direct.length; i++) {
      for (const key of Object.keys(direct[i]) as Array<keyof (typeof direct)[number]>) {
        expect(streamed[i][key]).toBeCloseTo(direct[i][key], 8);
      }
    }
  });

  it('rejects inputs whose width is not d_in, bad ks and bad batch sizes', async () => {
    const { engine, normalization } = await setup();
    const wrong = randomMatrix(10, dIn + 1, 1);
    await expect(evaluateSae({ engine, x: wrong, normalization, ks: [4] })).rejects.toThrow(/d_in = 8/);
    const x = randomMatrix(10, dIn, 1);
    await expect(evaluateSae({ engine, x, normalization, ks: [0] })).rejects.toThrow(/positive integer/);
    await expect(evaluateSae({ engine, x, normalization, ks: [] })).rejects.toThrow(/empty/);
    await expect(evaluateSae({ engine, x, normalization, ks: [4], batchSize: 0 })).rejects.toThrow(/batchSize/);
  });
});
