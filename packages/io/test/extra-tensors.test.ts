// Extra trained tensors (ArchitectureDefinition.extraTensors) through io's writers and readers: JumpReLU's log_threshold in
// SAELens' two layouts, and an architecture planted here with a made-up tensor, which io reads and writes without naming it.
import { decodeSafetensors, encodeSafetensors, getArchitecture, initParams, resolveConfig, type Architecture, type SaeParams } from '@msae/core';
import { registerArchitecture } from '@msae/core/internal';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../src/index.js';
import { tempDir } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

const D_IN = 4;
const D_SAE = 6;
const identity = () => ({ mean: new Float32Array(D_IN), scale: 1 });
const weightsOf = async (dir: string) => decodeSafetensors(new Uint8Array(await readFile(join(dir, 'sae_weights.safetensors')))).tensors;

/** Rewrite a saved msae directory as SAELens would have it: cfg.json without msae's keys, `extra` tensors replacing the extra ones. */
async function asSaeLens(dir: string, architecture: string, drop: string[], extra: Record<string, Float32Array>): Promise<void> {
  const tensors = await weightsOf(dir);
  for (const name of drop) delete tensors[name];
  for (const [name, data] of Object.entries(extra)) tensors[name] = { shape: [data.length], data, dtype: 'F32' };
  await writeFile(join(dir, 'sae_weights.safetensors'), encodeSafetensors(tensors));
  await writeFile(join(dir, 'cfg.json'), JSON.stringify({ d_in: D_IN, d_sae: D_SAE, architecture, apply_b_dec_to_input: true, normalize_activations: 'none', metadata: { sae_lens_version: '6.5.1' } }));
}

describe('JumpReLU log_threshold', () => {
  const config = resolveConfig({ dIn: D_IN, dSae: D_SAE, architecture: 'jumprelu', initThreshold: 0.3 });
  const params = initParams(config, 5);
  params.log_threshold = Float32Array.from({ length: D_SAE }, (_, j) => Math.log(0.05 + 0.1 * j));

  it('is written as SAELens threshold = exp(log_threshold) and read back (inference layout)', async () => {
    const dir = join(tmp.dir, 'jumprelu-threshold');
    await saveCheckpoint(dir, { config, params, normalization: identity(), training: {} });
    const written = await weightsOf(dir);
    expect(Array.from(written.threshold.data)).toEqual(Array.from(params.log_threshold!, (l) => Math.fround(Math.exp(l))));
    expect(written.log_threshold).toBeUndefined();
    const back = await loadCheckpoint(dir);
    back.params.log_threshold!.forEach((l, j) => expect(Math.abs(l - params.log_threshold![j])).toBeLessThan(1e-6));
    await asSaeLens(dir, 'jumprelu', ['threshold'], { threshold: written.threshold.data });
    const fromSaeLens = await loadCheckpoint(dir);
    expect(fromSaeLens.format).toBe('saelens');
    expect(Array.from(fromSaeLens.params.log_threshold!)).toEqual(Array.from(back.params.log_threshold!));
  });

  it('reads SAELens training layout log_threshold as it is', async () => {
    const dir = join(tmp.dir, 'jumprelu-log');
    await saveCheckpoint(dir, { config, params, normalization: identity(), training: {} });
    await asSaeLens(dir, 'jumprelu', ['threshold'], { log_threshold: params.log_threshold! });
    const back = await loadCheckpoint(dir);
    expect(Array.from(back.params.log_threshold!)).toEqual(Array.from(params.log_threshold!));
  });

  it('refuses a SAELens JumpReLU with neither layout, naming the tensor', async () => {
    const dir = join(tmp.dir, 'jumprelu-none');
    await saveCheckpoint(dir, { config, params, normalization: identity(), training: {} });
    await asSaeLens(dir, 'jumprelu', ['threshold'], {});
    await expect(loadCheckpoint(dir)).rejects.toThrow(/missing tensor 'threshold' \(JumpReLU thresholds\)/);
  });
});

describe('a planted architecture with a made-up extra tensor', () => {
  const relu = getArchitecture('relu');
  // 'gain' is stored doubled as 'gain_x2' (written layout) or as it is ('gain'); values must be positive.
  const unregister = registerArchitecture({
    ...relu,
    name: 'gainrelu',
    labels: { gainrelu: 'uw' },
    saeLens: { architecture: 'gainrelu', activationFn: 'relu', hasK: false, reads: [{ architecture: 'gainrelu' }] },
    extraTensors: [
      {
        param: 'gain',
        description: 'per-latent gains',
        layouts: [
          { tensor: 'gain_x2', write: (v) => v.map((x) => 2 * x), read: (v) => (v.every((x) => x > 0) ? v.map((x) => x / 2) : null), requires: 'positive' },
          { tensor: 'gain' },
        ],
      },
    ],
  });
  afterAll(() => unregister());
  const config = resolveConfig({ dIn: D_IN, dSae: D_SAE, architecture: 'gainrelu' as Architecture });
  const gain = Float32Array.from({ length: D_SAE }, (_, j) => 0.5 + j);
  const params = { ...initParams(config, 9), gain } as SaeParams;

  it('is written in its first layout and read back by the msae reader', async () => {
    const dir = join(tmp.dir, 'planted');
    await saveCheckpoint(dir, { config, params, normalization: identity(), training: {} });
    expect(Array.from((await weightsOf(dir)).gain_x2.data)).toEqual([1, 3, 5, 7, 9, 11]);
    const back = await loadCheckpoint(dir);
    expect(back.config.architecture).toBe('gainrelu');
    expect(Array.from((back.params as unknown as { gain: Float32Array }).gain)).toEqual(Array.from(gain));
  });

  it('is read from either layout by the SAELens reader, and a bad value is refused naming the tensor', async () => {
    const dir = join(tmp.dir, 'planted-saelens');
    await saveCheckpoint(dir, { config, params, normalization: identity(), training: {} });
    await asSaeLens(dir, 'gainrelu', ['gain_x2'], { gain });
    const back = await loadCheckpoint(dir);
    expect(back.format).toBe('saelens');
    expect(Array.from((back.params as unknown as { gain: Float32Array }).gain)).toEqual(Array.from(gain));
    await asSaeLens(dir, 'gainrelu', ['gain'], { gain_x2: Float32Array.from(gain, (g, j) => (j === 2 ? -g : g)) });
    await expect(loadCheckpoint(dir)).rejects.toThrow(/tensor 'gain_x2' must be positive \(per-latent gains\)/);
  });
});
