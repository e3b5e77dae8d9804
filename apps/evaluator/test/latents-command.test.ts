import { saveCheckpoint, writeEmbeddings } from '@msae/io';
import { plantedBenchmark } from '@msae/concepts/testing';
import type { SaeConfig } from '@msae/core';
import { Command } from 'commander';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerLatentsCommand } from '../src/commands/latents.js';

// A Matryoshka-shaped checkpoint (nesting [30, 60]): the first 30 rows are planted concept directions
// (coarse), the next 30 fine rows copy the same directions with noise, so each fine latent fires with its coarse twin.
const bench = plantedBenchmark({ dim: 64, concepts: 30, distractors: 300, randomLatents: 0, decoderNoise: 0.3, samples: 600, activePerSample: 2, seed: 5 });
const dIn = 64;
const dSae = 60;
let dir: string;
let ckpt: string;
let vocab: string;
let labels: string;
let data: string;
let sources: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-latents-'));
  ckpt = join(dir, 'ckpt');
  const W_dec = new Float32Array(dSae * dIn);
  W_dec.set(bench.decoder.data.subarray(0, 30 * dIn));
  W_dec.set(bench.decoder.data.subarray(0, 30 * dIn), 30 * dIn);
  const W_enc = new Float32Array(dIn * dSae);
  for (let j = 0; j < dSae; j++) for (let i = 0; i < dIn; i++) W_enc[i * dSae + j] = W_dec[j * dIn + i];
  const config: SaeConfig = { dIn, dSae, architecture: 'msae', k: dSae, nesting: [30, 60], weights: [1, 1], weighting: 'uw', loss: 'nmse', l1: 0 };
  await saveCheckpoint(ckpt, {
    config,
    params: { W_enc, b_enc: new Float32Array(dSae).fill(-2), W_dec, b_dec: new Float32Array(dIn) },
    normalization: { mean: bench.normalization.mean, scale: bench.normalization.scale },
    training: { data: 'synthetic' },
  });
  vocab = join(dir, 'vocab.npy');
  labels = join(dir, 'vocab.json');
  data = join(dir, 'data.npy');
  sources = join(dir, 'sources.json');
  await writeEmbeddings(vocab, bench.vocabulary.embeddings);
  await writeFile(labels, JSON.stringify(bench.vocabulary.labels));
  await writeEmbeddings(data, bench.data);
  await writeFile(sources, JSON.stringify({ train: bench.sampleConcepts.map((c) => `has concept-${c[0]}`) }));
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
  registerLatentsCommand(program);
  const before = process.exitCode;
  process.exitCode = 0;
  let exitCode = 0;
  try {
    await program.parseAsync(['node', 'msae-eval', 'latents', ...args]);
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

describe('msae-eval latents', () => {
  it('writes a dashboard for every latent as JSON, CSV and HTML, with levels, parents and labelled examples', async () => {
    const out = join(dir, 'dash');
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--data', data, '--sources', `${sources}#train`, '--null-samples', '2000', '--out', out]);
    expect(r.stderr).not.toMatch(/msae-eval latents:/);
    expect(r.exitCode).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['latents.csv', 'latents.html', 'latents.json']);
    const set = JSON.parse(await readFile(join(out, 'latents.json'), 'utf8'));
    expect(set.latents).toHaveLength(dSae);
    expect(set.nesting).toEqual([30, 60]);
    const d3 = set.latents[3];
    expect(d3.level).toBe(0);
    expect(d3.name).toBe('concept-3');
    // a latent's top rows hold its planted concept: the per-row label says so
    expect(d3.top.length).toBeGreaterThan(3);
    const planted = (row: number) => bench.sampleConcepts[row].includes(3);
    expect(d3.top.every((e: { row: number }) => planted(e.row))).toBe(true);
    expect(d3.top[0].source).toBe(`has concept-${bench.sampleConcepts[d3.top[0].row][0]}`);
    expect(d3.histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(d3.activeRows);
    // frequency = active rows / rows (no duplicates here)
    expect(d3.frequency).toBeCloseTo(d3.activeRows / bench.data.rows, 5);
    expect(d3.quantiles.length).toBe(5);
    // the fine twin (latent 33) sits on level 1, fires with latent 3 and has it as nearest decoder
    const d33 = set.latents[33];
    expect(d33.level).toBe(1);
    expect(d33.parent.index).toBe(3);
    expect(d33.parent.coactivation).toBe(1);
    expect(d33.nearest[0]).toMatchObject({ index: 3, cosine: 1 });
    expect(d3.summary).toMatch(/^Named "concept-3"/);
    const csv = (await readFile(join(out, 'latents.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(dSae + 1);
    expect(csv[0].startsWith('latent,level,prefix,name,')).toBe(true);
    const html = await readFile(join(out, 'latents.html'), 'utf8');
    expect(html).toMatch(/<h2>level 0: latents 0–29 \(prefix 30\)/);
    expect(html).toMatch(/id="l33"/);
  });

  it('one-line errors for bad row files', async () => {
    const out = join(dir, 'dash2');
    const r = await run(['--checkpoint', ckpt, '--vocab', vocab, '--labels', labels, '--data', data, '--sources', `${sources}#val`, '--null-samples', '200', '--out', out]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`msae-eval latents: --sources ${sources}#val: expected a JSON array under key "val"`]);
  });
});
