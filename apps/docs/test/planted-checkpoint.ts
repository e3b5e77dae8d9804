/** Test fixture: an SAE whose latents ARE planted concepts, its vocabulary, and items built from the concepts. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCheckpoint, resolveConfig } from '@msae/core';
import { plantedBenchmark } from '@msae/concepts/testing';
import { encodeNpy } from '@msae/io';

export interface PlantedFiles {
  dir: string;
  checkpoint: string[];
  items: string[];
  vocabulary: string[];
  concepts: number;
  dSae: number;
  /** Per item: the planted concepts it contains. */
  itemConcepts: number[][];
  data: { data: Float32Array; rows: number; cols: number };
}

/**
 * Decoder rows = noisy planted directions (latent i = concept-i for i < concepts, then random rows),
 * tied encoder W_enc = W_dec^T, zero biases, the benchmark's CLIP-like normalization; items contain
 * 2 planted concepts each and are labelled with them ("concept-3 + concept-17").
 */
export async function writePlantedFiles(): Promise<PlantedFiles> {
  const dim = 128;
  const concepts = 24;
  const bench = plantedBenchmark({ dim, concepts, randomLatents: 40, distractors: 600, decoderNoise: 0.3, samples: 400, activePerSample: 2, seed: 5 });
  const dSae = bench.decoder.rows;
  const config = resolveConfig({ dIn: dim, dSae, architecture: 'msae', k: 8, weighting: 'rw' });
  const W_dec = bench.decoder.data;
  const W_enc = new Float32Array(dim * dSae);
  for (let j = 0; j < dSae; j++) for (let d = 0; d < dim; d++) W_enc[d * dSae + j] = W_dec[j * dim + d];
  const params = { W_enc, b_enc: new Float32Array(dSae), W_dec, b_dec: new Float32Array(dim) };
  const { cfgJson, weights } = encodeCheckpoint({ config, params, normalization: { mean: bench.normalization.mean, scale: bench.normalization.scale }, training: { data: 'planted concepts (test fixture)' } });
  const dir = await mkdtemp(join(tmpdir(), 'msae-docs-planted-'));
  const files: Record<string, string | Uint8Array> = {
    'cfg.json': cfgJson,
    'sae_weights.safetensors': weights,
    'items.npy': encodeNpy(bench.data),
    'items.json': JSON.stringify(bench.sampleConcepts.map((cs) => cs.map((c) => `concept-${c}`).join(' + '))),
    'vocab.npy': encodeNpy(bench.vocabulary.embeddings),
    'vocab.json': JSON.stringify(bench.vocabulary.labels),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const at = (...names: string[]) => names.map((n) => join(dir, n));
  return {
    dir,
    checkpoint: at('cfg.json', 'sae_weights.safetensors'),
    items: at('items.npy', 'items.json'),
    vocabulary: at('vocab.npy', 'vocab.json'),
    concepts,
    dSae,
    itemConcepts: bench.sampleConcepts,
    data: bench.data,
  };
}
