// name --data, search, steer and bias on a JumpReLU checkpoint use its thresholded codes z = pre * H(pre - theta):
// each command's output is checked against codes from the reference engine's encode, and against the plain-ReLU
// codes the commands used to compute (which differ here: the thresholds drop about half of the positive codes).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeNormalization, createReferenceEngine, createRng, initParams, normalize, resolveConfig, type Checkpoint } from '@msae/core';
import { readEmbeddings, writeEmbeddings } from '@msae/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runCli } from './cli-harness.js';
import { makeData, writeCheckpointDir } from './fixtures.js';

const dIn = 16;
const dSae = 64;
const x = makeData(120, dIn, 3);
const concept = [3, 7]; // the latents named "tent"
let dir: string;
let ckptDir: string;
let dataFile: string;
let namesFile: string;
let ckpt: Checkpoint;
/** Reference-engine codes (every positive thresholded code) [rows, dSae], and the plain ReLU codes. */
let z: Float32Array;
let relu: Float32Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-eval-jumprelu-paths-'));
  const config = resolveConfig({ dIn, dSae, architecture: 'jumprelu', bandwidth: 0.01 });
  const params = initParams(config, 5);
  const rng = createRng(6);
  for (let i = 0; i < params.W_enc.length; i++) params.W_enc[i] *= 10;
  for (let i = 0; i < params.b_enc.length; i++) params.b_enc[i] = 0.05 * rng.normal();
  params.log_threshold = Float32Array.from({ length: dSae }, () => Math.log(0.2 + 2 * rng.uniform())); // theta in [0.2, 2.2)
  ckpt = { config, params, normalization: computeNormalization(x), training: { epochs: 0, seed: 5, data: 'synthetic test data' } };
  ckptDir = join(dir, 'jumprelu');
  await writeCheckpointDir(ckptDir, ckpt);
  dataFile = join(dir, 'x.npy');
  await writeEmbeddings(dataFile, x);
  namesFile = join(dir, 'names.json');
  const latents = Array.from({ length: dSae }, (_, index) => ({ index, name: concept.includes(index) ? 'tent' : null, score: 0.3, margin: 0.1, z: 6, candidates: [{ label: 'tent', score: 0.3 }] }));
  await writeFile(namesFile, JSON.stringify({ latents }));

  const ref = createReferenceEngine();
  await ref.load({ config, params });
  const xn = normalize(x.data, ckpt.normalization);
  z = await ref.encode(xn, x.rows);
  await ref.load({ config: resolveConfig({ dIn, dSae, architecture: 'relu' }), params: { ...params, log_threshold: undefined } });
  relu = await ref.encode(xn, x.rows);
  await ref.dispose();
  const count = (c: Float32Array) => c.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  expect(count(z)).toBeLessThan(0.7 * count(relu)); // the thresholds matter
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Fraction of rows where latent j is active. */
const frequency = (c: Float32Array, j: number) => {
  let n = 0;
  for (let r = 0; r < x.rows; r++) if (c[r * dSae + j] > 0) n++;
  return n / x.rows;
};

describe('JumpReLU checkpoint: every analysis command encodes with the thresholds (reference engine codes)', () => {
  it('name --data: each latent frequency is that of the reference codes', async () => {
    const vocab = join(dir, 'vocab.npy');
    const labels = join(dir, 'vocab.json');
    await writeEmbeddings(vocab, makeData(10, dIn, 9));
    await writeFile(labels, JSON.stringify(Array.from({ length: 10 }, (_, i) => `word${i}`)));
    const r = await runCli(['name', '--checkpoint', ckptDir, '--vocab', vocab, '--labels', labels, '--data', dataFile, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const got = (lastJson(r.stdout).latents as { index: number; frequency: number }[]).map((l) => l.frequency);
    expect(got).toHaveLength(dSae);
    let maxReluGap = 0;
    for (let j = 0; j < dSae; j++) {
      expect(got[j]).toBeCloseTo(frequency(z, j), 6);
      maxReluGap = Math.max(maxReluGap, Math.abs(got[j] - frequency(relu, j)));
    }
    expect(maxReluGap).toBeGreaterThan(0.2);
  });

  it('search concept:tent: scores are sum_j z_j over the concept latents of the reference codes', async () => {
    const r = await runCli(['search', '--checkpoint', ckptDir, '--index', dataFile, '--names', namesFile, '--query', 'concept:tent', '--k', '10', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const hits = lastJson(r.stdout).queries[0].hits as { row: number; score: number }[];
    const score = (c: Float32Array, row: number) => concept.reduce((s, j) => s + c[row * dSae + j], 0);
    const expected = Array.from({ length: x.rows }, (_, row) => row).sort((a, b) => score(z, b) - score(z, a) || a - b);
    expect(hits.map((h) => h.row)).toEqual(expected.slice(0, 10));
    for (const h of hits) expect(h.score).toBeCloseTo(score(z, h.row), 4);
    expect(hits.some((h) => Math.abs(h.score - score(relu, h.row)) > 1e-3)).toBe(true);
  });

  it("steer --edit 3=*2: x' = x + (z'_3 - z_3) W_dec[3] / scale with the reference codes", async () => {
    const out = join(dir, 'steered.npy');
    const r = await runCli(['steer', '--checkpoint', ckptDir, '--data', dataFile, '--edit', '3=*2', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const written = (await readEmbeddings(out)).data;
    let reluDiffers = false;
    for (let row = 0; row < x.rows; row++) {
      const zj = z[row * dSae + 3];
      for (let d = 0; d < dIn; d++) {
        const e = row * dIn + d;
        const w = ckpt.params.W_dec[3 * dIn + d] / ckpt.normalization.scale;
        expect(written[e]).toBeCloseTo(x.data[e] + zj * w, 5); // (2 z - z) W_dec[3] / s
        if (Math.abs(x.data[e] + relu[row * dSae + 3] * w - written[e]) > 1e-4) reluDiffers = true;
      }
    }
    expect(reluDiffers).toBe(true);
  });

  it('bias: group firing rates and mean activations of every listed latent are those of the reference codes', async () => {
    const group = Uint8Array.from({ length: x.rows }, (_, r) => (x.data[r * dIn] > 0.3 ? 1 : 0));
    const target = Uint8Array.from({ length: x.rows }, (_, r) => (x.data[r * dIn + 1] > 0.3 ? 1 : 0));
    const attrs = join(dir, 'attrs.txt');
    const lines = Array.from({ length: x.rows }, (_, r) => `${String(r + 1).padStart(6, '0')}.jpg ${target[r] ? 1 : -1} ${group[r] ? 1 : -1}`);
    await writeFile(attrs, `${x.rows}\nSmiling Male\n${lines.join('\n')}\n`);
    const out = join(dir, 'bias');
    const r = await runCli(['bias', '--checkpoint', ckptDir, '--data', dataFile, '--attributes', attrs, '--target', 'Smiling', '--group', 'Male', '--top', String(dSae), '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const ranked = lastJson(r.stdout).result.byGroupGap as { latent: number; rate1: number; rate0: number; mean1: number }[];
    expect(ranked.length).toBeGreaterThanOrEqual(20);
    const stats = (c: Float32Array, j: number, g: number) => {
      let n = 0, fire = 0, sum = 0;
      for (let row = 0; row < x.rows; row++) {
        if (group[row] !== g) continue;
        n++;
        const v = c[row * dSae + j];
        if (v > 0) fire++;
        sum += v;
      }
      return { rate: fire / n, mean: sum / n };
    };
    let maxReluGap = 0;
    for (const l of ranked) {
      expect(l.rate1).toBeCloseTo(stats(z, l.latent, 1).rate, 10);
      expect(l.rate0).toBeCloseTo(stats(z, l.latent, 0).rate, 10);
      expect(l.mean1).toBeCloseTo(stats(z, l.latent, 1).mean, 4);
      maxReluGap = Math.max(maxReluGap, Math.abs(l.rate1 - stats(relu, l.latent, 1).rate));
    }
    expect(maxReluGap).toBeGreaterThan(0.2);
    expect(JSON.parse(await readFile(join(out, 'bias.json'), 'utf8'))).toBeTruthy();
  });
});
