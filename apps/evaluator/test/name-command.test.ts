import { saveCheckpoint, writeEmbeddings } from '@msae/io';
import { writeTinyClipFixture } from '@msae/clip/testing';
import { loadVocabulary } from '@msae/concepts';
import { plantedBenchmark } from '@msae/concepts/testing';
import type { SaeConfig } from '@msae/core';
import { Command } from 'commander';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerNameCommand } from '../src/commands/name.js';

// A small generated checkpoint whose decoder holds noisy planted concept directions + random rows.
const bench = plantedBenchmark({ dim: 64, concepts: 30, distractors: 300, randomLatents: 30, decoderNoise: 0.5, samples: 400, activePerSample: 2, seed: 3 });
const dIn = 64;
const dSae = bench.decoder.rows;
let dir: string;
let ckpt: string;
let vocab: string;
let labels: string;
let data: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-name-'));
  ckpt = join(dir, 'ckpt');
  const W_enc = new Float32Array(dIn * dSae);
  for (let j = 0; j < dSae; j++) for (let i = 0; i < dIn; i++) W_enc[i * dSae + j] = bench.decoder.data[j * dIn + i];
  const config: SaeConfig = { dIn, dSae, architecture: 'relu', k: dSae, nesting: [dSae], weights: [1], weighting: 'uw', loss: 'nmse', l1: 0 };
  await saveCheckpoint(ckpt, {
    config,
    params: { W_enc, b_enc: new Float32Array(dSae).fill(-2), W_dec: new Float32Array(bench.decoder.data), b_dec: new Float32Array(dIn) },
    normalization: { mean: bench.normalization.mean, scale: bench.normalization.scale },
    training: { epochs: 0, seed: 3, data: 'synthetic' },
  });
  vocab = join(dir, 'vocab.npy');
  labels = join(dir, 'vocab.json');
  data = join(dir, 'data.npy');
  await writeEmbeddings(vocab, bench.vocabulary.embeddings);
  await writeFile(labels, JSON.stringify(bench.vocabulary.labels));
  await writeEmbeddings(data, bench.data);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  const program = new Command().name('msae-eval').exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) });
  registerNameCommand(program);
  const before = process.exitCode;
  process.exitCode = 0;
  let exitCode = 0;
  try {
    await program.parseAsync(['node', 'msae-eval', 'name', ...args]);
    exitCode = Number(process.exitCode ?? 0);
  } catch (e) {
    exitCode = (e as { exitCode?: number }).exitCode ?? 1;
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
  return { stdout, stderr, exitCode };
}

describe('msae-eval name', () => {
  it('--json: last stdout line holds every latent, and the planted ones are named right', async () => {
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--json', '--top', '3']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const report = JSON.parse(lines[lines.length - 1]);
    expect(report.latents).toHaveLength(dSae);
    expect(Object.keys(report.latents[0]).sort()).toEqual(['candidates', 'index', 'margin', 'name', 'score', 'z']);
    expect(report.latents[0].candidates).toHaveLength(3);
    let right = 0;
    let randomUnnamed = 0;
    bench.truth.forEach((t, i) => {
      if (t === null) randomUnnamed += report.latents[i].name === null ? 1 : 0;
      else right += report.latents[i].name === t ? 1 : 0;
    });
    expect(right / 30).toBeGreaterThanOrEqual(0.9);
    expect(randomUnnamed / 30).toBeGreaterThanOrEqual(0.9);
    expect(report.named).toBe(report.latents.filter((l: { name: string | null }) => l.name !== null).length);
    expect(report.mapping).toBe('row');
  });

  it('prints a table, and with --data and --out adds evidence and writes the report files', async () => {
    const out = join(dir, 'report');
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--data', data, '--out', out]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\| latent \| name \| score \| margin \| z \| freq \| top cos \| lift \| candidates \|/);
    expect(r.stdout).toMatch(/\| 3 \| concept-3 \|/);
    expect(r.stdout).toMatch(/named \d+ of 60 latents \(mapping row, z >= 5, margin >= 0.02/);
    expect((await readdir(out)).sort()).toEqual(['concepts.json', 'names.json', 'names.md']);
    const report = JSON.parse(await readFile(join(out, 'names.json'), 'utf8'));
    const l3 = report.latents[3];
    expect(l3.name).toBe('concept-3');
    expect(l3.frequency).toBeGreaterThan(0);
    expect(l3.evidence.topCosine).toBeGreaterThan(l3.evidence.baselineCosine);
    expect(l3.evidence.lift).toBeCloseTo(l3.evidence.topCosine - l3.evidence.baselineCosine, 4);
    expect(l3.evidence.supported).toBe(true);
    // every named latent passed the evidence check; named counts only those
    expect(report.named).toBe(report.latents.filter((l: { name: string | null }) => l.name !== null).length);
    expect(report.named).toBeLessThanOrEqual(report.namedBeforeEvidence);
    for (const l of report.latents) if (l.name !== null) expect(l.evidence.lift).toBeGreaterThanOrEqual(0);
    const concepts = JSON.parse(await readFile(join(out, 'concepts.json'), 'utf8'));
    expect(concepts['concept-3'].map((x: { index: number }) => x.index)).toEqual([3]);
  });

  it('--concept looks up the latents carrying a concept', async () => {
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--concept', 'Concept-7', '--json']);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.concept.query).toBe('Concept-7');
    expect(report.concept.latents.map((l: { index: number }) => l.index)).toEqual([7]);
    expect(report.concept.latents[0].named).toBe(true);
    const table = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--concept', 'concept-7']);
    expect(table.stdout.split('\n').filter((l) => /^\| \d/.test(l))).toEqual([expect.stringMatching(/^\| 7 \| concept-7 \|/)]);
  });

  it('--mapping affine (the paper) is accepted and reported', async () => {
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--json', '--mapping', 'affine']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!).mapping).toBe('affine');
  });

  it('--min-lift above every lift leaves nothing named', async () => {
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--data', data, '--min-lift', '2', '--json']);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.named).toBe(0);
    expect(report.namedBeforeEvidence).toBeGreaterThan(25);
    expect(report.latents[3].evidence.supported).toBe(false);
    expect(report.latents[3].candidates[0].label).toBe('concept-3');
  });

  it('a .txt vocabulary is embedded with --model (the tiny CLIP fixture) and cached', async () => {
    const model = await writeTinyClipFixture(join(dir, 'tiny-clip'));
    const words = ['dog', 'cat', 'red car', 'blue sky', 'green tree', 'old house'];
    const txt = join(dir, 'words.txt');
    await writeFile(txt, `${words.join('\n')}\n`);
    const v = await loadVocabulary(txt, { model, cache: false });
    const d = v.embeddings.cols;
    const config: SaeConfig = { dIn: d, dSae: words.length, architecture: 'relu', k: words.length, nesting: [words.length], weights: [1], weighting: 'uw', loss: 'nmse', l1: 0 };
    const textCkpt = join(dir, 'text-ckpt');
    await saveCheckpoint(textCkpt, {
      config,
      params: { W_enc: new Float32Array(d * words.length), b_enc: new Float32Array(words.length), W_dec: v.embeddings.data, b_dec: new Float32Array(d) },
      normalization: { mean: new Float32Array(d), scale: 1 },
      training: {},
    });
    const args = ['--checkpoint', textCkpt, '--vocab', txt, '--model', model, '--no-center', '--min-z', '0', '--min-margin', '0', '--json'];
    const r = await run(args);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.latents.map((l: { name: string }) => l.name)).toEqual(words);
    expect(report.centeredVocabulary).toBe(false);
    expect(report.vocabulary.cacheFile.startsWith(dir)).toBe(true);
    const again = await run(args);
    expect(again.stderr).toMatch(/from cache/);
  });

  it('one-line errors and a non-zero exit for bad input', async () => {
    const missing = await run(['--checkpoint', join(dir, 'nope'), '--vocab', vocab, '--labels', labels]);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/nope/);

    const wrongDim = join(dir, 'wrong.npy');
    await writeEmbeddings(wrongDim, { data: new Float32Array(3 * 8).fill(0.5), rows: 3, cols: 8 });
    await writeFile(join(dir, 'wrong.json'), '["a","b","c"]');
    const dim = await run(['--checkpoint', ckpt, '--vocab', wrongDim, '--labels', join(dir, 'wrong.json')]);
    expect(dim.exitCode).toBe(1);
    expect(dim.stderr.trim()).toMatch(/wrong\.npy: vocabulary embeddings are 8-d but the checkpoint .* has d_in 64/);

    const noLabels = await run(['--checkpoint', ckpt, '--vocab', vocab]);
    expect(noLabels.stderr.trim()).toMatch(/vocab\.npy: precomputed embeddings need a labels file/);

    const badOpt = await run(['--checkpoint', ckpt, '--mapping', 'diagonal']);
    expect(badOpt.exitCode).not.toBe(0);
    expect(badOpt.stderr).toMatch(/--mapping must be one of row, affine/);

    const unknown = await run(['--checkpoint', ckpt, '--frobnicate']);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);

    const mismatch = join(dir, 'three-labels.json');
    await writeFile(mismatch, '["a","b","c"]');
    const count = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', mismatch]);
    expect(count.exitCode).toBe(1);
    expect(count.stderr.trim()).toMatch(/three-labels\.json: has 3 labels but .*vocab\.npy has \d+ rows$/);

    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const badOut = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--out', join(blocker, 'names')]);
    expect(badOut.exitCode).toBe(1);
    expect(badOut.stderr.trim().split('\n')).toEqual([`msae-eval name: ${join(blocker, 'names')}: cannot write: ${blocker} is not a directory`]);
  });
});
