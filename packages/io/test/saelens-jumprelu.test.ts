// Known answers for SAELens JumpReLU directories, written here by hand (no Python): SAELens' inference forward pass
// is z = ReLU(pre) * H(pre - threshold), pre = (x - b_dec) W_enc + b_enc, x^ = z W_dec + b_dec.
import { createReferenceEngine, decodeSafetensors, encodeSafetensors, initParams, resolveConfig } from '@msae/core';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoError, loadCheckpoint, saveCheckpoint, type CheckpointSource } from '../src/index.js';
import { tempDir } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

const f32 = (v: number[]) => Float32Array.from(v);
// d_in 2, d_sae 3
const W_enc = f32([1, 0.5, 0, 0, 1, 1]); // [[1, 0.5, 0], [0, 1, 1]]
const b_enc = f32([0, 0, -0.1]);
const W_dec = f32([1, 0, 0, 1, 1, 1]); // rows (1, 0), (0, 1), (1, 1)
const b_dec = f32([0.1, -0.1]);
const threshold = f32([0.5, 1.1, 0.2]);
const CFG_V6 = { d_in: 2, d_sae: 3, dtype: 'float32', device: 'cpu', apply_b_dec_to_input: true, normalize_activations: 'none', reshape_activations: 'none', metadata: { sae_lens_version: '6.5.1' }, architecture: 'jumprelu' };

async function saeLensDir(name: string, cfg: Record<string, unknown>, extra: Record<string, Float32Array>): Promise<string> {
  const dir = join(tmp.dir, name);
  await mkdir(dir);
  await writeFile(join(dir, 'cfg.json'), JSON.stringify(cfg));
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = { W_enc: { shape: [2, 3], data: W_enc }, b_enc: { shape: [3], data: b_enc }, W_dec: { shape: [3, 2], data: W_dec }, b_dec: { shape: [2], data: b_dec } };
  for (const [k, v] of Object.entries(extra)) tensors[k] = { shape: [v.length], data: v };
  await writeFile(join(dir, 'sae_weights.safetensors'), encodeSafetensors(tensors));
  return dir;
}

describe('SAELens JumpReLU checkpoints', () => {
  it('v6 inference layout (threshold): log_threshold = log(threshold), and the forward pass gives the hand-computed codes', async () => {
    const dir = await saeLensDir('v6', CFG_V6, { threshold });
    const ckpt = await loadCheckpoint(dir);
    expect(ckpt.format).toBe('saelens');
    expect(ckpt.config).toMatchObject({ architecture: 'jumprelu', dIn: 2, dSae: 3, l0: 1e-3, bandwidth: 1e-3 });
    // exp(log_threshold) gives each threshold back to float32 rounding (|exp(l) - t| <= 2^-23 t)
    ckpt.params.log_threshold!.forEach((l, j) => expect(Math.abs(Math.exp(l) - threshold[j])).toBeLessThanOrEqual(2 ** -23 * threshold[j]));
    expect(Array.from(ckpt.params.log_threshold!)).toEqual(Array.from(threshold, (t) => Math.fround(Math.log(t))));
    expect((ckpt.training?.source as CheckpointSource).assumed).toMatchObject({ l0_coefficient: 1e-3, jumprelu_bandwidth: 1e-3 });
    const engine = createReferenceEngine();
    await engine.load({ config: ckpt.config, params: ckpt.params });
    // row 0: x = (0.8, 0.6): pre = (0.7, 1.05, 0.6) vs theta (0.5, 1.1, 0.2) -> z = (0.7, 0, 0.6), x^ = (1.4, 0.5)
    // row 1: x = (0.1, 0.3): pre = (0, 0.4, 0.3) -> z = (0, 0, 0.3), x^ = (0.4, 0.2)
    const z = await engine.encode(f32([0.8, 0.6, 0.1, 0.3]), 2);
    const expectedZ = [0.7, 0, 0.6, 0, 0, 0.3];
    for (let i = 0; i < 6; i++) expect(z[i]).toBeCloseTo(expectedZ[i], 6);
    const recon = await engine.decode(z, 2);
    [1.4, 0.5, 0.4, 0.2].forEach((v, i) => expect(recon[i]).toBeCloseTo(v, 6));
    // progressive k on top of the threshold: k = 1 keeps row 0's larger code only
    expect(Array.from(await engine.encode(f32([0.8, 0.6]), 1, 1)).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.7, 0, 0]);
    await engine.dispose();
  });

  it("training layout (log_threshold) with the training cfg keys l0_coefficient and jumprelu_bandwidth", async () => {
    const dir = await saeLensDir('training', { ...CFG_V6, l0_coefficient: 5, jumprelu_bandwidth: 0.05, jumprelu_init_threshold: 0.01 }, { log_threshold: Float32Array.from(threshold, Math.log) });
    const ckpt = await loadCheckpoint(dir);
    expect(ckpt.config).toMatchObject({ architecture: 'jumprelu', l0: 5, bandwidth: 0.05, initThreshold: 0.01 });
    expect(Array.from(ckpt.params.log_threshold!)).toEqual(Array.from(threshold, (t) => Math.fround(Math.log(t))));
    expect((ckpt.training?.source as CheckpointSource).ignored).toEqual([]);
  });

  it('a missing or non-positive threshold is a one-line IoError naming sae_weights.safetensors', async () => {
    const none = await saeLensDir('no-threshold', CFG_V6, {});
    const err = await loadCheckpoint(none).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as IoError).message).toBe(`${none}/sae_weights.safetensors: missing tensor 'threshold' (JumpReLU thresholds)`);
    const zero = await saeLensDir('zero-threshold', CFG_V6, { threshold: f32([0.5, 0, 0.2]) });
    expect(((await loadCheckpoint(zero).catch((e: unknown) => e)) as IoError).problem).toBe("tensor 'threshold' must be positive and finite (JumpReLU thresholds)");
  });

  it("an msae jumprelu directory is SAELens' layout: threshold = exp(log_threshold) next to the four tensors, architecture jumprelu", async () => {
    const config = resolveConfig({ dIn: 4, dSae: 8, architecture: 'jumprelu', l0: 0.02, bandwidth: 0.004, initThreshold: 0.05 });
    const params = initParams(config, 7);
    params.log_threshold = Float32Array.from({ length: 8 }, (_, j) => Math.log(0.01 + 0.02 * j));
    const out = join(tmp.dir, 'msae-jumprelu');
    await saveCheckpoint(out, { config, params, normalization: { mean: new Float32Array(4), scale: 1 } });
    const { tensors } = decodeSafetensors(new Uint8Array(await readFile(join(out, 'sae_weights.safetensors'))));
    expect(Object.keys(tensors).sort()).toEqual(['W_dec', 'W_enc', 'b_dec', 'b_enc', 'threshold']);
    expect(Array.from(tensors.threshold.data)).toEqual(Array.from(params.log_threshold, (v) => Math.fround(Math.exp(v))));
    const cfg = JSON.parse(await readFile(join(out, 'cfg.json'), 'utf8'));
    expect(cfg).toMatchObject({ architecture: 'jumprelu', d_in: 4, d_sae: 8, l0_coefficient: 0.02, jumprelu_bandwidth: 0.004, jumprelu_init_threshold: 0.05 });
    const back = await loadCheckpoint(out);
    expect(back.format).toBe('msae');
    expect(back.config).toEqual(config);
    expect(Array.from(back.params.log_threshold!)).toEqual(Array.from(params.log_threshold)); // thresholds < 0.37: exact
    // the same files read as a SAELens directory (without msae's "format" key) give the same SAE
    const { format: _, ...saeLensCfg } = cfg;
    await writeFile(join(out, 'cfg.json'), JSON.stringify(saeLensCfg));
    const asSaeLens = await loadCheckpoint(out);
    expect(asSaeLens.format).toBe('saelens');
    expect(asSaeLens.config).toMatchObject({ architecture: 'jumprelu', l0: 0.02, bandwidth: 0.004 });
    expect(asSaeLens.params).toEqual(back.params);
  });
});
