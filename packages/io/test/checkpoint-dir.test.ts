import { createRng, resolveConfig, type AdamState, type Checkpoint, type SaeParams } from '@msae/core';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCheckpointTarget, checkOutputPath, EmbeddingFileError, loadCheckpoint, saveCheckpoint } from '../src/index.js';
import { tempDir } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

function randomParams(dIn: number, dSae: number, seed: number): SaeParams {
  const rng = createRng(seed);
  const f = (n: number) => rng.fillUniform(new Float32Array(n), -1, 1);
  return { W_enc: f(dIn * dSae), b_enc: f(dSae), W_dec: f(dSae * dIn), b_dec: f(dIn) };
}

function sampleCheckpoint(seed = 1): Checkpoint {
  const config = resolveConfig({ dIn: 6, architecture: 'msae', k: 2, dSae: 12, weighting: 'rw' });
  const rng = createRng(seed + 100);
  return {
    config,
    params: randomParams(6, 12, seed),
    normalization: { mean: rng.fillUniform(new Float32Array(6), -1, 1), scale: 1.75 },
    training: { epochs: 3, seed, data: 'train_8_6.npy', metrics: { fvu: 0.25 } },
  };
}

const adam = (seed: number, step: number): AdamState => ({ m: randomParams(6, 12, seed), v: randomParams(6, 12, seed + 1), step });

async function expectError(p: Promise<unknown>, file: string, pattern: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EmbeddingFileError);
  const message = (err as Error).message;
  expect(message.startsWith(`${file}: `), message).toBe(true);
  expect(message).not.toContain('\n');
  expect(message).toMatch(pattern);
}

describe('checkpoint directories', () => {
  it('round trip: cfg.json + SAELens weights, and the resume state', async () => {
    const dir = `${tmp.dir}/run1`;
    const ckpt = sampleCheckpoint();
    const optimizer = adam(7, 42);
    await saveCheckpoint(dir, ckpt, { optimizer, trainerState: { epoch: 2, step: 42, rng: [1, 2, 3, 4] } });
    expect((await readdir(dir)).sort()).toEqual(['cfg.json', 'optimizer_state.safetensors', 'sae_weights.safetensors', 'trainer_state.json']);

    const cfg = JSON.parse(await readFile(`${dir}/cfg.json`, 'utf8'));
    expect(cfg).toMatchObject({ d_in: 6, d_sae: 12, architecture: 'msae', k: 2, nesting: [2, 4, 8, 12], weights: [4, 3, 2, 1], weighting: 'rw' });
    expect(cfg.normalization.scale).toBe(1.75);
    expect(cfg.training).toEqual({ epochs: 3, seed: 1, data: 'train_8_6.npy', metrics: { fvu: 0.25 } });
    // The weights file holds the four SAELens tensors with their shapes.
    const bytes = new Uint8Array(await readFile(`${dir}/sae_weights.safetensors`));
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.W_enc.shape).toEqual([6, 12]);
    expect(header.W_dec.shape).toEqual([12, 6]);
    expect(header.b_enc.shape).toEqual([12]);
    expect(header.b_dec.shape).toEqual([6]);

    const back = await loadCheckpoint(dir, { resume: true });
    expect(back.config).toEqual(ckpt.config);
    expect(back.params).toEqual(ckpt.params);
    expect(back.normalization.mean).toEqual(ckpt.normalization.mean);
    expect(back.training).toEqual(ckpt.training);
    expect(back.optimizer).toEqual(optimizer);
    expect(back.trainerState).toEqual({ epoch: 2, step: 42, rng: [1, 2, 3, 4] });
    // With a trailing slash too.
    expect((await loadCheckpoint(`${dir}/`)).params.W_dec).toEqual(ckpt.params.W_dec);
  });

  it('saving over a checkpoint replaces it, drops stale resume files, keeps foreign files', async () => {
    const dir = `${tmp.dir}/run2`;
    await saveCheckpoint(dir, sampleCheckpoint(1), { optimizer: adam(1, 5), trainerState: { step: 5 } });
    await writeFile(`${dir}/report.md`, '# report');
    await saveCheckpoint(dir, sampleCheckpoint(2));
    expect((await readdir(dir)).sort()).toEqual(['cfg.json', 'report.md', 'sae_weights.safetensors']);
    const back = await loadCheckpoint(dir);
    expect(back.params).toEqual(sampleCheckpoint(2).params);
    expect(back.optimizer).toBeUndefined();
    expect(await readFile(`${dir}/report.md`, 'utf8')).toBe('# report');
    expect((await readdir(tmp.dir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('a failed save leaves the old checkpoint and no temporary directory', async () => {
    const parent = `${tmp.dir}/atomic`;
    const dir = `${parent}/run`;
    await mkdir(parent);
    await saveCheckpoint(dir, sampleCheckpoint(1));
    const before = await readFile(`${dir}/sae_weights.safetensors`);
    const list = async () => (await readdir(parent)).sort();

    // Bad input: rejected while encoding, before anything is written.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expectError(saveCheckpoint(dir, sampleCheckpoint(2), { trainerState: cyclic }), dir, /cannot save checkpoint: .*circular/i);
    const wrongShape = sampleCheckpoint(2);
    wrongShape.params.W_dec = new Float32Array(5);
    await expectError(saveCheckpoint(dir, wrongShape), dir, /cannot save checkpoint: checkpoint: W_dec must be a Float32Array of shape \[12, 6\]/);
    await expectError(saveCheckpoint(dir, sampleCheckpoint(2), { optimizer: { ...adam(1, 1), v: randomParams(6, 11, 1) } }), dir, /optimizer\.v: W_enc has 66 values, expected 72/);

    // Failure while writing: the temporary directory cannot be created inside a parent that is a file.
    await writeFile(`${parent}/plain`, 'x');
    await expectError(saveCheckpoint(`${parent}/plain/run`, sampleCheckpoint(2)), `${parent}/plain/run`, /cannot save checkpoint: a path component is not a directory/);
    await expectError(saveCheckpoint(`${parent}/missing/run`, sampleCheckpoint(2)), `${parent}/missing/run`, /parent directory .*missing does not exist/);

    // Failure at the swap: the target is a file, or a non-empty directory that is not a checkpoint.
    await expectError(saveCheckpoint(`${parent}/plain`, sampleCheckpoint(2)), `${parent}/plain`, /exists and is not a directory/);
    await mkdir(`${parent}/precious`);
    await writeFile(`${parent}/precious/notes.txt`, 'keep me');
    await expectError(saveCheckpoint(`${parent}/precious`, sampleCheckpoint(2)), `${parent}/precious`, /not empty and holds no cfg\.json; refusing to replace it/);
    expect(await readFile(`${parent}/precious/notes.txt`, 'utf8')).toBe('keep me');

    expect(await list()).toEqual(['plain', 'precious', 'run']);
    expect(await readFile(`${dir}/sae_weights.safetensors`)).toEqual(before);
  });

  it('load errors are one line naming the directory or file', async () => {
    const missing = `${tmp.dir}/nope`;
    await expectError(loadCheckpoint(missing), missing, /^.*: checkpoint directory not found$/);
    await writeFile(`${tmp.dir}/afile`, 'x');
    await expectError(loadCheckpoint(`${tmp.dir}/afile`), `${tmp.dir}/afile`, /not a directory/);
    const empty = `${tmp.dir}/empty`;
    await mkdir(empty);
    await expectError(loadCheckpoint(empty), `${empty}/cfg.json`, /not found \(is .* a checkpoint directory\?\)/);

    const dir = `${tmp.dir}/broken`;
    await saveCheckpoint(dir, sampleCheckpoint(3));
    await expectError(loadCheckpoint(dir, { resume: true }), `${dir}/optimizer_state.safetensors`, /not a resumable checkpoint/);
    const cfgText = await readFile(`${dir}/cfg.json`, 'utf8');
    const weights = await readFile(`${dir}/sae_weights.safetensors`);

    await writeFile(`${dir}/cfg.json`, cfgText.slice(0, 40));
    await expectError(loadCheckpoint(dir), `${dir}/cfg.json`, /invalid JSON/);
    await writeFile(`${dir}/cfg.json`, cfgText.replace('"d_sae": 12', '"d_sae": 24').replace('"nesting": [\n    2,\n    4,\n    8,\n    12\n  ]', '"nesting": [2, 4, 8, 24]'));
    await expectError(loadCheckpoint(dir), `${dir}/sae_weights.safetensors`, /tensor 'W_enc' has shape \[6, 12\], expected \[6, 24\]/);
    await writeFile(`${dir}/cfg.json`, cfgText);
    await writeFile(`${dir}/sae_weights.safetensors`, weights.subarray(0, weights.byteLength - 8));
    await expectError(loadCheckpoint(dir), `${dir}/sae_weights.safetensors`, /truncated safetensors file/);
    await writeFile(`${dir}/sae_weights.safetensors`, weights);
    await writeFile(`${dir}/trainer_state.json`, '{"step": ');
    await expectError(loadCheckpoint(dir), `${dir}/trainer_state.json`, /invalid JSON/);
    await writeFile(`${dir}/trainer_state.json`, '[1]');
    await expectError(loadCheckpoint(dir), `${dir}/trainer_state.json`, /expected a JSON object/);
  });

  it('checkCheckpointTarget / checkOutputPath refuse what saving would refuse, before any write, leaving nothing', async () => {
    const root = `${tmp.dir}/targets`;
    await mkdir(`${root}/busy`, { recursive: true });
    await writeFile(`${root}/busy/notes.txt`, 'keep');
    await writeFile(`${root}/a-file`, 'x');
    await expectError(checkCheckpointTarget(`${root}/busy`), `${root}/busy`, /not empty and holds no cfg\.json/);
    await expectError(checkCheckpointTarget(`${root}/a-file`), `${root}/a-file`, /exists and is not a directory/);
    await expectError(checkCheckpointTarget(`${root}/a-file/ckpt`, { createsParents: true }), `${root}/a-file/ckpt`, /a-file is not a directory/);
    await expectError(checkCheckpointTarget(`${root}/missing/ckpt`), `${root}/missing/ckpt`, /directory .*missing does not exist/);
    await expectError(checkOutputPath(`${root}/busy`, { kind: 'file' }), `${root}/busy`, /is a directory/);
    // allowed: an absent dir under missing parents (the caller creates them), an existing checkpoint, a new file
    await checkCheckpointTarget(`${root}/missing/deeper/ckpt`, { createsParents: true });
    await saveCheckpoint(`${root}/ck`, sampleCheckpoint());
    await checkCheckpointTarget(`${root}/ck`);
    await checkOutputPath(`${root}/new.npy`, { kind: 'file' });
    expect((await readdir(root)).sort()).toEqual(['a-file', 'busy', 'ck']);
  });
});
