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
const benchOptions = { dim: 64, concepts: 30, distractors: 300, randomLatents: 30, decoderNoise: 0.5, samples: 400, activePerSample: 2, seed: 3 };
const bench = plantedBenchmark(benchOptions);
const dIn = 64;
const dSae = bench.decoder.rows;
let dir: string;
let ckpt: string;
let vocab: string;
let labels: string;
let data: string;
let heldOut: string;

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
  // the evidence rows plus 5 copies of row 0 (near-duplicates to collapse); held-out rows come from the same planted concepts
  const dup = new Float32Array((bench.data.rows + 5) * dIn);
  dup.set(bench.data.data);
  for (let i = 0; i < 5; i++) dup.set(bench.data.data.subarray(0, dIn), (bench.data.rows + i) * dIn);
  await writeEmbeddings(data, { data: dup, rows: bench.data.rows + 5, cols: dIn });
  const more = plantedBenchmark({ ...benchOptions, samples: 800 });
  heldOut = join(dir, 'held-out.npy');
  await writeEmbeddings(heldOut, { data: more.data.data.slice(400 * dIn), rows: 400, cols: dIn });
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
  it('--json: every latent with its p-value, q-value and summary; the planted ones are named right', async () => {
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--json', '--candidates', '3', '--null-samples', '2000']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const report = JSON.parse(lines[lines.length - 1]);
    expect(report.latents).toHaveLength(dSae);
    expect(Object.keys(report.latents[0]).sort()).toEqual(['candidates', 'evidence', 'index', 'margin', 'name', 'score', 'source', 'summary', 'z']);
    expect(report.latents[0].source).toBe(vocab);
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
    // a named latent's decoder p-value is at most the BH cutoff, and q >= p
    for (const l of report.latents) {
      expect(l.evidence.qValue).toBeGreaterThanOrEqual(l.evidence.pValue - 1e-5);
      if (l.name !== null) expect(l.evidence.pValue).toBeLessThanOrEqual(report.rule.pCutoff + 1e-5); // p is rounded to 5 decimals
    }
    expect(report.latents[3].summary).toMatch(/^Named "concept-3"\. Its decoder direction matches/);
    expect(report.mapping).toBe('row');
  });

  it('with --data and --held-out: chooses and validates on separate halves, warns about duplicates, writes the report files', async () => {
    const out = join(dir, 'report');
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--data', data, '--held-out', heldOut, '--null-samples', '2000', '--out', out]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/warning: .*data\.npy: 5 of 405 rows are near-duplicates/);
    expect(r.stdout).toMatch(/^\| latent \| name \| parent \| cos \| p \| q \| freq \| rank \(validate\) \| AUROC \| lift \| held-out rank \| candidates \|/);
    expect(r.stdout).toMatch(/\| 3 \| concept-3 \|/);
    expect(r.stdout).toMatch(/held-out check on .*held-out\.npy: \d+ of \d+ checkable names hold up/);
    expect((await readdir(out)).sort()).toEqual(['concepts.json', 'names.json', 'names.md']);
    const report = JSON.parse(await readFile(join(out, 'names.json'), 'utf8'));
    expect(report.data.duplicateRows).toBe(5);
    const l3 = report.latents[3];
    expect(l3.name).toBe('concept-3');
    expect(l3.frequency).toBeGreaterThan(0);
    expect(l3.evidence.auroc).toBeGreaterThan(0.8);
    expect(l3.evidence.lift).toBeGreaterThan(0);
    expect(l3.evidence.validateRank).toBeLessThanOrEqual(3);
    // every named latent passed the validate-half check
    for (const l of report.latents) if (l.name !== null) expect(l.evidence.validateRank).toBeLessThanOrEqual(report.rule.maxEvidenceRank);
    // planted concepts hold up on rows never used to choose them
    expect(report.heldOut.checkable).toBeGreaterThan(20);
    expect(report.heldOut.agreement).toBeGreaterThanOrEqual(0.9);
    const concepts = JSON.parse(await readFile(join(out, 'concepts.json'), 'utf8'));
    expect(concepts['concept-3'].map((x: { index: number }) => x.index)).toEqual([3]);
  });

  it('--concept looks up the latents carrying a concept', async () => {
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--concept', 'Concept-7', '--json', '--null-samples', '1000']);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.concept.query).toBe('Concept-7');
    expect(report.concept.latents.map((l: { index: number }) => l.index)).toEqual([7]);
    expect(report.concept.latents[0].named).toBe(true);
    const table = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--concept', 'concept-7', '--null-samples', '1000']);
    expect(table.stdout.split('\n').filter((l) => /^\| \d/.test(l))).toEqual([expect.stringMatching(/^\| 7 \| concept-7 \|/)]);
  });

  it('--mapping affine (the paper) is accepted and reported', async () => {
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--json', '--mapping', 'affine', '--null-samples', '500']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!).mapping).toBe('affine');
  });

  it('an FDR below the smallest reachable p-value names nothing, and says why', async () => {
    // 999 null samples: the smallest p is 1/1000; BH at 1e-5 needs p <= 1e-5 * rank / 60
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--fdr', '0.00001', '--null-samples', '999', '--json']);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.named).toBe(0);
    expect(report.latents[3].candidates[0].label).toBe('concept-3');
    expect(report.latents[3].summary).toMatch(/^Not named: the best decoder match "concept-3" is not significant/);
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
    const args = ['--checkpoint', textCkpt, '--vocab', txt, '--model', model, '--null-samples', '200', '--json'];
    const r = await run(args);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    // the tiny random text model puts words close together: check the vocabulary itself, not names
    expect(report.vocabulary.size).toBe(words.length);
    expect(new Set(report.latents.flatMap((l: { candidates: { label: string }[] }) => l.candidates.map((c) => c.label)))).toEqual(new Set(words));
    expect(report.vocabulary.sources).toEqual([txt]);
    expect(r.stderr).toMatch(new RegExp(`cached embeddings in ${dir}`));
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
    expect(dim.stderr.trim()).toMatch(/wrong\.npy holds 8-d embeddings but .* has d_in 64/);

    const noLabels = await run(['--checkpoint', ckpt, '--vocab', vocab]);
    expect(noLabels.stderr.trim()).toMatch(/vocab\.npy: precomputed embeddings need a labels file/);

    const badOpt = await run(['--checkpoint', ckpt, '--mapping', 'diagonal']);
    expect(badOpt.exitCode).not.toBe(0);
    expect(badOpt.stderr).toMatch(/--mapping must be one of row, affine/);

    const badFdr = await run(['--checkpoint', ckpt, '--fdr', '2']);
    expect(badFdr.exitCode).not.toBe(0);
    expect(badFdr.stderr).toMatch(/--fdr must be a number between 0 and 1/);

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

  it('a demo checkpoint is named with the demo\'s planted concepts and refuses a real-world vocabulary', async () => {
    const { generateDemoEmbeddings } = await import('@msae/core');
    const { dictionary } = generateDemoEmbeddings({ rows: 1 });
    const d = 512;
    const n = 24; // 16 coarse directions + 8 random rows
    const W_dec = new Float32Array(n * d);
    W_dec.set(dictionary.coarse.data.subarray(0, 16 * d));
    let s = 7;
    for (let i = 16 * d; i < n * d; i++) W_dec[i] = ((s = (s * 48271) % 2147483647) / 2147483647 - 0.5) / Math.sqrt(d / 12);
    const demoCkpt = join(dir, 'demo-ckpt');
    const config: SaeConfig = { dIn: d, dSae: n, architecture: 'relu', k: n, nesting: [n], weights: [1], weighting: 'uw', loss: 'nmse', l1: 0 };
    await saveCheckpoint(demoCkpt, {
      config,
      params: { W_enc: new Float32Array(d * n), b_enc: new Float32Array(n), W_dec, b_dec: new Float32Array(d) },
      normalization: { mean: new Float32Array(d), scale: 1 },
      training: { data: 'builtin:demo (synthetic)' },
    });
    const r = await run(['--checkpoint', demoCkpt, '--json', '--null-samples', '2000']);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.vocabulary.sources).toEqual(['demo (planted concepts)']);
    const names = report.latents.map((l: { name: string | null }) => l.name);
    expect(names.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, i) => `coarse concept ${i}`));
    expect(names.slice(16).every((x: string | null) => x === null)).toBe(true);
    const refused = await run(['--checkpoint', demoCkpt, '--shipped', 'clip-vit-b32-detic-1592']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/trained on the built-in SYNTHETIC demo data.*clip-vit-b32-detic-1592 would give it made-up names/);
  });

  it('refuses a vocabulary of another CLIP model than the training data', async () => {
    const d = 512;
    const other = join(dir, 'l14-ckpt');
    const config: SaeConfig = { dIn: d, dSae: 4, architecture: 'relu', k: 4, nesting: [4], weights: [1], weighting: 'uw', loss: 'nmse', l1: 0 };
    await saveCheckpoint(other, {
      config,
      params: { W_enc: new Float32Array(d * 4), b_enc: new Float32Array(4), W_dec: new Float32Array(d * 4).fill(0.1), b_dec: new Float32Array(d) },
      normalization: { mean: new Float32Array(d), scale: 1 },
      training: { data: 'data/clip-vit-b16/images.npy' },
    });
    const r = await run(['--checkpoint', other, '--shipped', 'clip-vit-b32-detic-1592']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toMatch(/clip-vit-b32-detic-1592 is a CLIP ViT-B\/32 vocabulary but .* was trained on CLIP ViT-B\/16 embeddings/);
  });
});
