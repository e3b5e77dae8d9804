// Known-answer tests: checkpoints written in SAELens', the MSAE paper's and dictionary_learning's formats by
// scripts/make-interop-fixtures.py (torch.save / hand-written safetensors) load to the tensors the script wrote.
import { createReferenceEngine, encodeSafetensors, normalize, type SaeParams } from '@msae/core';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoError, loadCheckpoint, saveCheckpoint, type CheckpointSource } from '../src/index.js';
import { tempDir } from './fixtures.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/interop/', import.meta.url));
const PAPER_NAME = '32_8_TopKReLU_4_RW_False_False_0.0_synthetic_train_64_8.pth';

interface Expected {
  config: { architecture: string; k: number; weighting: string };
  d_in: number;
  d_sae: number;
  W_enc: number[];
  b_enc: number[];
  W_dec: number[];
  b_dec: number[];
  normalization: { mean: number[]; scale: number };
  /** The tool's own reconstruction of x (torch, float64), in the normalized or the original space. */
  forward: { x: number[]; recon: number[]; rows: number; k: number; space: 'normalized' | 'original' };
}

async function expected(name: string): Promise<Expected> {
  return JSON.parse(await readFile(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected;
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

function expectTensors(params: SaeParams, e: Expected, tolerance = 0): void {
  for (const name of ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const) {
    expect(params[name].length, name).toBe(e[name].length);
    const worst = e[name].reduce((m, v, i) => Math.max(m, Math.abs(params[name][i] - v)), 0);
    expect(worst, name).toBeLessThanOrEqual(tolerance);
  }
}

async function errorOf(p: Promise<unknown>): Promise<IoError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IoError);
  expect((err as Error).message).not.toContain('\n');
  return err as IoError;
}

describe('checkpoints written by other tools', () => {
  it("the paper's .pth: tensors (encoder stored transposed), input normalization and the file name's config", async () => {
    const e = await expected('paper');
    const ckpt = await loadCheckpoint(join(FIXTURES, 'paper', PAPER_NAME));
    expect(ckpt.format).toBe('paper-pth');
    expectTensors(ckpt.params, e);
    expect(Array.from(ckpt.normalization.mean)).toEqual(e.normalization.mean);
    expect(ckpt.normalization.scale).toBe(2.5);
    expect(ckpt.config).toMatchObject({ dIn: 8, dSae: 32, architecture: 'msae', k: 4, weighting: 'rw', nesting: [4, 8, 16, 32], weights: [4, 3, 2, 1] });
    const source = ckpt.training?.source as CheckpointSource;
    expect(source.extra?.target_norm).toBeCloseTo(Math.sqrt(8), 12);
    expect(source.ignored).toEqual(['model.latents_activation_frequency']);
    // a directory holding one .pth reads the same
    expect((await loadCheckpoint(join(FIXTURES, 'paper'))).params.W_enc).toEqual(ckpt.params.W_enc);
  });

  it('SAELens before 6.0 (activation_fn_str topk, apply_b_dec_to_input false) folds b_dec into b_enc', async () => {
    const e = await expected('saelens-v5');
    const ckpt = await loadCheckpoint(join(FIXTURES, 'saelens-v5'));
    expect(ckpt.format).toBe('saelens');
    expectTensors(ckpt.params, e, 1e-6);
    expect(ckpt.config).toMatchObject({ architecture: 'topk', k: 4, nesting: [4], weighting: 'uw', loss: 'nmse', l1: 0 });
    expect(Array.from(ckpt.normalization.mean)).toEqual(new Array(8).fill(0));
    const source = ckpt.training?.source as CheckpointSource;
    expect(source.version).toBe('5.3.0');
    expect(source.folded).toEqual(['apply_b_dec_to_input false: b_enc <- b_enc + b_dec W_enc']);
  });

  it('SAELens 6.x (architecture topk, k, nested metadata): a cfg.json without msae keys loads with the defaults', async () => {
    const e = await expected('saelens-v6');
    const cfg = JSON.parse(await readFile(join(FIXTURES, 'saelens-v6', 'cfg.json'), 'utf8'));
    expect(cfg.weighting).toBeUndefined();
    expect(cfg.loss).toBeUndefined();
    const ckpt = await loadCheckpoint(join(FIXTURES, 'saelens-v6'));
    expectTensors(ckpt.params, e);
    expect(ckpt.config).toEqual({ dIn: 8, dSae: 32, architecture: 'topk', k: 4, nesting: [4], weights: [1], weighting: 'uw', loss: 'nmse', l1: 0 });
    expect((ckpt.training?.source as CheckpointSource).version).toBe('6.5.1');
  });

  it('dictionary_learning ae.pt + config.json (nn.Linear weights transposed, encoder.weight strided)', async () => {
    const e = await expected('dictionary-learning');
    for (const path of [join(FIXTURES, 'dictionary-learning'), join(FIXTURES, 'dictionary-learning', 'ae.pt')]) {
      const ckpt = await loadCheckpoint(path);
      expect(ckpt.format).toBe('dictionary-learning');
      expectTensors(ckpt.params, e);
      expect(ckpt.config).toMatchObject({ architecture: 'topk', k: 4, dIn: 8, dSae: 32 });
      expect((ckpt.training?.source as CheckpointSource).extra).toEqual({ threshold: 0.125 });
    }
  });

  it.each([
    ['paper', PAPER_NAME],
    ['saelens-v5', ''],
    ['saelens-v6', ''],
    ['dictionary-learning', ''],
  ])("%s: msae's forward pass on the loaded checkpoint reconstructs like the tool's own (torch) forward pass", async (fixture, file) => {
    const e = await expected(fixture);
    const ckpt = await loadCheckpoint(join(FIXTURES, fixture, file));
    const engine = createReferenceEngine();
    await engine.load({ config: ckpt.config, params: ckpt.params });
    const x = Float32Array.from(e.forward.x);
    const input = e.forward.space === 'normalized' ? normalize(x, ckpt.normalization) : x;
    const recon = await engine.decode(await engine.encode(input, e.forward.rows, e.forward.k), e.forward.rows);
    const worst = e.forward.recon.reduce((m, v, i) => Math.max(m, Math.abs(recon[i] - v)), 0);
    expect(worst).toBeLessThan(1e-5);
    await engine.dispose();
  });

  it('a converted checkpoint saves as an msae directory that reloads identically and records its source', async () => {
    const ckpt = await loadCheckpoint(join(FIXTURES, 'paper', PAPER_NAME));
    const out = join(tmp.dir, 'converted');
    await saveCheckpoint(out, ckpt);
    const back = await loadCheckpoint(out);
    expect(back.format).toBe('msae');
    expect(back.params).toEqual(ckpt.params);
    expect(back.normalization).toEqual(ckpt.normalization);
    expect(back.config).toEqual(ckpt.config);
    expect((back.training?.source as CheckpointSource).format).toBe('paper-pth');
  });

  it('rescale_acts_by_decoder_norm and a fine-tuning scaling factor fold into weights with the same forward pass', async () => {
    const e = await expected('saelens-v6');
    const dir = join(tmp.dir, 'rescaled');
    await mkdir(dir);
    const cfg = JSON.parse(await readFile(join(FIXTURES, 'saelens-v6', 'cfg.json'), 'utf8'));
    await writeFile(join(dir, 'cfg.json'), JSON.stringify({ ...cfg, architecture: 'standard', rescale_acts_by_decoder_norm: true }));
    const s = Float32Array.from({ length: 32 }, (_, j) => 0.5 + j / 32);
    const t = (v: number[]) => Float32Array.from(v);
    await writeFile(
      join(dir, 'sae_weights.safetensors'),
      encodeSafetensors({ W_enc: { shape: [8, 32], data: t(e.W_enc) }, b_enc: { shape: [32], data: t(e.b_enc) }, W_dec: { shape: [32, 8], data: t(e.W_dec) }, b_dec: { shape: [8], data: t(e.b_dec) }, finetuning_scaling_factor: { shape: [32], data: s } }),
    );
    const ckpt = await loadCheckpoint(dir);
    expect(ckpt.config.architecture).toBe('relu');
    const x = Float64Array.from({ length: 8 }, (_, d) => Math.sin(d + 1));
    // SAELens: pre_j = ||W_dec_j|| ((x - b_dec) W_enc_j + b_enc_j), z = relu(pre), x^ = sum_j z_j s_j W_dec_j / ||W_dec_j|| + b_dec
    const theirs = new Float64Array(8);
    const ours = new Float64Array(8);
    for (let j = 0; j < 32; j++) {
      const norm = Math.hypot(...e.W_dec.slice(j * 8, j * 8 + 8));
      let pre = e.b_enc[j];
      let pre2 = ckpt.params.b_enc[j];
      for (let d = 0; d < 8; d++) {
        pre += (x[d] - e.b_dec[d]) * e.W_enc[d * 32 + j];
        pre2 += (x[d] - ckpt.params.b_dec[d]) * ckpt.params.W_enc[d * 32 + j];
      }
      const z = Math.max(0, norm * pre);
      const z2 = Math.max(0, pre2);
      for (let d = 0; d < 8; d++) {
        theirs[d] += (z * s[j] * e.W_dec[j * 8 + d]) / norm;
        ours[d] += z2 * ckpt.params.W_dec[j * 8 + d];
      }
      expect(Math.hypot(...ckpt.params.W_dec.slice(j * 8, j * 8 + 8))).toBeCloseTo(s[j], 5);
    }
    for (let d = 0; d < 8; d++) expect(ours[d]).toBeCloseTo(theirs[d], 5);
    expect((ckpt.training?.source as CheckpointSource).folded).toHaveLength(2);
  });
});

describe('checkpoints msae cannot read give one-line errors naming the file', () => {
  async function saeLensDir(name: string, patch: Record<string, unknown>, weights?: Uint8Array): Promise<string> {
    const dir = join(tmp.dir, name);
    await cp(join(FIXTURES, 'saelens-v6'), dir, { recursive: true });
    const cfg = JSON.parse(await readFile(join(dir, 'cfg.json'), 'utf8'));
    await writeFile(join(dir, 'cfg.json'), JSON.stringify({ ...cfg, ...patch }));
    if (weights) await writeFile(join(dir, 'sae_weights.safetensors'), weights);
    return dir;
  }

  it('SAELens architectures and normalizations msae cannot express', async () => {
    const gated = await saeLensDir('gated', { architecture: 'gated' });
    const err = await errorOf(loadCheckpoint(gated));
    expect(err.file).toBe(`${gated}/cfg.json`);
    expect(err.problem).toBe("architecture 'gated' (gated) cannot be run by msae (it runs relu, topk, batchtopk, msae and jumprelu SAEs)");
    const ln = await saeLensDir('layer-norm', { normalize_activations: 'layer_norm' });
    expect((await errorOf(loadCheckpoint(ln))).problem).toMatch(/normalize_activations 'layer_norm' normalizes every input separately/);
    const avg = await saeLensDir('expected-average', { normalize_activations: 'expected_average_only_in' });
    expect((await errorOf(loadCheckpoint(avg))).problem).toMatch(/fold_activation_norm_scaling_factor/);
    const tanh = await saeLensDir('tanh', { architecture: 'standard', activation_fn_str: 'tanh-relu' });
    expect((await errorOf(loadCheckpoint(tanh))).message).toMatch(new RegExp(`^${tanh}/cfg.json: unknown SAELens architecture/activation_fn 'standard/tanh-relu'`));
    const noK = await saeLensDir('no-k', { k: undefined });
    expect((await errorOf(loadCheckpoint(noK))).problem).toMatch(/architecture topk needs 'k'/);
  });

  it('missing tensors and wrong shapes name sae_weights.safetensors', async () => {
    const data = new Float32Array(8 * 32);
    const missing = await saeLensDir('missing', {}, encodeSafetensors({ W_enc: { shape: [8, 32], data }, b_enc: { shape: [32], data: new Float32Array(32) }, b_dec: { shape: [8], data: new Float32Array(8) } }));
    const err = await errorOf(loadCheckpoint(missing));
    expect(err.message).toBe(`${missing}/sae_weights.safetensors: missing tensor 'W_dec'`);
    const shaped = await saeLensDir('shape', { d_sae: 16 });
    expect((await errorOf(loadCheckpoint(shaped))).message).toBe(
      `${shaped}/sae_weights.safetensors: tensor 'W_enc' has shape [8, 32], expected [8, 16] (d_in 8, d_sae 16 in cfg.json)`,
    );
  });

  it('torch files: corrupt zip, legacy pickle, unknown layout, a file name that contradicts the tensors', async () => {
    const good = new Uint8Array(await readFile(join(FIXTURES, 'paper', PAPER_NAME)));
    const cut = join(tmp.dir, 'cut.pth');
    await writeFile(cut, good.subarray(0, 900));
    expect((await errorOf(loadCheckpoint(cut))).problem).toMatch(/^corrupt PyTorch zip/);
    const legacy = join(tmp.dir, 'legacy.pt');
    await writeFile(legacy, Uint8Array.from([0x80, 0x02, 0x8a, 0x0a]));
    expect((await errorOf(loadCheckpoint(legacy))).problem).toMatch(/legacy \(pre-1\.6\) torch serialization/);
    const lying = join(tmp.dir, '64_8_TopKReLU_4_RW_False_False_0.0_x.pth');
    await writeFile(lying, good);
    expect((await errorOf(loadCheckpoint(lying))).problem).toBe("file name says 8 -> 64 but tensor 'encoder' is [8, 32]");
    const capped = join(tmp.dir, '32_8_TopKReLU_4_RW_False_False_30.0_x.pth');
    await writeFile(capped, good);
    expect((await errorOf(loadCheckpoint(capped))).problem).toMatch(/latent soft cap 30/);
    // a torch.save zip of {'foo': 1}: pickle protocol 2, EMPTY_DICT, BINUNICODE 'foo', BININT1 1, SETITEM, STOP
    const pickle = Uint8Array.from([0x80, 0x02, 0x7d, 0x58, 3, 0, 0, 0, 0x66, 0x6f, 0x6f, 0x4b, 1, 0x73, 0x2e]);
    const other = join(tmp.dir, 'other.pt');
    await writeFile(other, zipSync({ 'other/data.pkl': [pickle, { level: 0 }], 'other/version': [new TextEncoder().encode('3\n'), { level: 0 }] }));
    expect((await errorOf(loadCheckpoint(other))).problem).toMatch(/^unknown PyTorch checkpoint layout/);
    const missing = join(tmp.dir, 'nothing-here.pth');
    expect((await errorOf(loadCheckpoint(missing))).message).toBe(`${missing}: checkpoint file not found`);
  });

  it('--resume refuses a foreign checkpoint (it has no optimizer state)', async () => {
    const err = await errorOf(loadCheckpoint(join(FIXTURES, 'saelens-v6'), { resume: true }));
    expect(err.file).toBe(join(FIXTURES, 'saelens-v6').replace(/\/$/, ''));
    expect(err.problem).toMatch(/^not a resumable checkpoint/);
    expect(await readdir(join(FIXTURES, 'saelens-v6'))).toEqual(['cfg.json', 'expected.json', 'sae_weights.safetensors']);
  });
});
