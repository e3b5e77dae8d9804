import { Rng, type Matrix } from '@msae/core';
import type { InputNormalization } from './decoder-directions.js';
import type { VocabularyEmbeddings } from './name-latents.js';

/**
 * A synthetic naming benchmark with a known answer, shaped like CLIP ViT-B/32 (measured on
 * shared/data: image mean norm 0.70, text mean norm 0.79, cosine between the two means 0.32,
 * scale ~32):
 * - `concepts` planted unit directions c_i, each with a vocabulary word `concept-i` whose text
 *   embedding is t_i = normalize(0.79 u_text + 0.61 normalize(c_i + textNoise e)) (modality gap +
 *   imperfect text/image alignment);
 * - `relatedPerConcept` distractor words per concept, normalize(0.79 u_text + 0.61 normalize(
 *   relatedness c_i + sqrt(1 - relatedness^2) r)) (near-synonyms that compete with the right word);
 * - `distractors` unrelated words normalize(0.79 u_text + 0.61 r);
 * - a decoder whose first `concepts` rows are noisy copies normalize(c_i + decoderNoise n) and whose
 *   remaining `randomLatents` rows are random unit vectors;
 * - the normalization of image-like data x = 0.70 u_img + 0.71 v (v unit): mean 0.70 u_img,
 *   scale sqrt(dim / 0.51).
 */
export interface PlantedBenchmarkOptions {
  dim?: number;
  concepts?: number;
  relatedPerConcept?: number;
  /** Cosine between a related word's concept part and its planted direction. */
  relatedness?: number;
  distractors?: number;
  randomLatents?: number;
  /** Noise norm relative to the planted direction in decoder rows: cos(row, c_i) ~ 1/sqrt(1 + noise^2). */
  decoderNoise?: number;
  /** Noise norm relative to the planted direction in its text embedding. */
  textNoise?: number;
  /** Samples of image-like data built from the planted concepts (for activation evidence); 0 = none. */
  samples?: number;
  /** Planted concepts active per sample. */
  activePerSample?: number;
  seed?: number;
}

export interface PlantedBenchmark {
  vocabulary: VocabularyEmbeddings;
  /** [concepts + randomLatents, dim] decoder rows (normalized space). */
  decoder: Matrix;
  normalization: InputNormalization & { mean: Float32Array };
  /** Per latent: the planted concept's label, or null for a random row. */
  truth: (string | null)[];
  /** Planted unit directions [concepts, dim]. */
  directions: Matrix;
  /** Image-like samples in CLIP space [samples, dim] (empty when samples = 0). */
  data: Matrix;
  /** Per sample: the planted concepts it contains. */
  sampleConcepts: number[][];
}

function gaussianUnit(rng: Rng, dim: number): Float32Array {
  const v = new Float32Array(dim);
  for (let i = 0; i < dim; i++) v[i] = rng.normal();
  return normalize(v);
}

function normalize(v: Float32Array): Float32Array {
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += v[i] * v[i];
  // v / ||v||
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}

/** a * u + b * v (new array). */
function mix(a: number, u: Float32Array, b: number, v: Float32Array): Float32Array {
  const out = new Float32Array(u.length);
  for (let i = 0; i < u.length; i++) out[i] = a * u[i] + b * v[i];
  return out;
}

/** Generate the planted benchmark (deterministic for a seed). */
export function plantedBenchmark(options: PlantedBenchmarkOptions = {}): PlantedBenchmark {
  const dim = options.dim ?? 512;
  const nConcepts = options.concepts ?? 100;
  const related = options.relatedPerConcept ?? 2;
  const relatedness = options.relatedness ?? 0.6;
  const nDistractors = options.distractors ?? 2000;
  const nRandom = options.randomLatents ?? 100;
  const decoderNoise = options.decoderNoise ?? 1.2;
  const textNoise = options.textNoise ?? 0.6;
  const nSamples = options.samples ?? 0;
  const activePerSample = options.activePerSample ?? 3;
  const rng = new Rng(options.seed ?? 1);

  const uImg = gaussianUnit(rng, dim);
  // u_text = normalize(0.32 u_img + 0.95 w): the two modality means meet at cosine ~0.32
  const uText = normalize(mix(0.32, uImg, 0.95, gaussianUnit(rng, dim)));
  const textEmbedding = (conceptPart: Float32Array) => normalize(mix(0.79, uText, 0.61, normalize(conceptPart)));

  const directions: Float32Array[] = [];
  for (let i = 0; i < nConcepts; i++) directions.push(gaussianUnit(rng, dim));

  const labels: string[] = [];
  const rows: Float32Array[] = [];
  for (let i = 0; i < nConcepts; i++) {
    labels.push(`concept-${i}`);
    rows.push(textEmbedding(mix(1, directions[i], textNoise, gaussianUnit(rng, dim))));
    for (let r = 0; r < related; r++) {
      labels.push(`related-${i}-${r}`);
      rows.push(textEmbedding(mix(relatedness, directions[i], Math.sqrt(1 - relatedness * relatedness), gaussianUnit(rng, dim))));
    }
  }
  for (let i = 0; i < nDistractors; i++) {
    labels.push(`distractor-${i}`);
    rows.push(textEmbedding(gaussianUnit(rng, dim)));
  }
  // shuffle the vocabulary so planted words are not at the front
  const order = rng.permutation(labels.length);
  const vocabData = new Float32Array(labels.length * dim);
  const vocabLabels: string[] = [];
  order.forEach((src, dst) => {
    vocabLabels.push(labels[src]);
    vocabData.set(rows[src], dst * dim);
  });

  const nLatents = nConcepts + nRandom;
  const decoder = new Float32Array(nLatents * dim);
  const truth: (string | null)[] = [];
  for (let i = 0; i < nConcepts; i++) {
    decoder.set(normalize(mix(1, directions[i], decoderNoise, gaussianUnit(rng, dim))), i * dim);
    truth.push(`concept-${i}`);
  }
  for (let i = 0; i < nRandom; i++) {
    decoder.set(gaussianUnit(rng, dim), (nConcepts + i) * dim);
    truth.push(null);
  }

  // mean = 0.70 u_img; E||x - mean||^2 = 0.71^2 ~ 0.51 -> scale = sqrt(dim / 0.51)
  const mean = mix(0.7, uImg, 0, uImg);
  const scale = Math.sqrt(dim / 0.51);

  const data = new Float32Array(nSamples * dim);
  const sampleConcepts: number[][] = [];
  for (let s = 0; s < nSamples; s++) {
    const v = new Float32Array(dim);
    const chosen: number[] = [];
    while (chosen.length < Math.min(activePerSample, nConcepts)) {
      const c = rng.int(nConcepts);
      if (!chosen.includes(c)) chosen.push(c);
    }
    for (const c of chosen) {
      const a = 0.5 + rng.uniform();
      for (let i = 0; i < dim; i++) v[i] += a * directions[c][i];
    }
    const noise = gaussianUnit(rng, dim);
    for (let i = 0; i < dim; i++) v[i] += 0.3 * noise[i];
    // x = 0.70 u_img + 0.71 normalize(sum_c a_c c + noise)
    data.set(mix(0.7, uImg, 0.71, normalize(v)), s * dim);
    sampleConcepts.push(chosen);
  }

  const dirData = new Float32Array(nConcepts * dim);
  directions.forEach((d, i) => dirData.set(d, i * dim));
  return {
    vocabulary: { labels: vocabLabels, embeddings: { data: vocabData, rows: vocabLabels.length, cols: dim } },
    decoder: { data: decoder, rows: nLatents, cols: dim },
    normalization: { mean, scale },
    truth,
    directions: { data: dirData, rows: nConcepts, cols: dim },
    data: { data, rows: nSamples, cols: dim },
    sampleConcepts,
  };
}

/** How a naming result scores against the benchmark's truth. */
export interface BenchmarkScore {
  /** Planted latents named with their planted concept / planted latents. */
  plantedCorrect: number;
  /** Random latents left unnamed / random latents. */
  randomUnnamed: number;
  /** Planted latents whose best guess (named or not) is right / planted latents. */
  plantedTop1: number;
}

export function scoreBenchmark(
  truth: (string | null)[],
  latents: { name: string | null; candidates: { label: string }[] }[],
): BenchmarkScore {
  let planted = 0, correct = 0, top1 = 0, random = 0, unnamed = 0;
  truth.forEach((t, i) => {
    const l = latents[i];
    if (t === null) {
      random++;
      if (l.name === null) unnamed++;
    } else {
      planted++;
      if (l.name === t) correct++;
      if (l.candidates[0]?.label === t) top1++;
    }
  });
  return {
    plantedCorrect: planted ? correct / planted : 0,
    randomUnnamed: random ? unnamed / random : 0,
    plantedTop1: planted ? top1 / planted : 0,
  };
}
