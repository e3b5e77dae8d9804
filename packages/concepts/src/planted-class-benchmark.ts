import { Rng, type Matrix } from '@msae/core';
import { benjaminiHochberg } from './decoder-null-model.js';
import type { VocabularyEmbeddings } from './name-latents.js';
import { ConceptsInputError } from './errors.js';

/**
 * The issue-18 planted layout: a decoder whose first `planted` rows are noisy copies (cosine ~`cosine`)
 * of class text embeddings and whose other `random` rows are random unit vectors; the vocabulary is
 * the classes. Pass real class embeddings (e.g. the ImageNet zero-shot head) or let it synthesize
 * CLIP-like ones: t_i = normalize(0.79 u + 0.61 normalize(0.6 f_family(i) + 0.8 e_i)), i.e. a shared
 * text direction (pairwise cosine ~0.63, as in the ImageNet head) and families of similar classes
 * (dog breeds).
 */
export interface PlantedClassOptions {
  /** Real class embeddings [classes, dim]; default: synthetic. */
  classEmbeddings?: Matrix;
  classLabels?: string[];
  /** Synthetic classes (default 1000), dim (default 512), classes per family (default 10). */
  classes?: number;
  dim?: number;
  familySize?: number;
  planted?: number;
  random?: number;
  /** Target cosine between a planted row and its class embedding (default 0.96). */
  cosine?: number;
  seed?: number;
}

export interface PlantedClassBenchmark {
  vocabulary: VocabularyEmbeddings;
  decoder: Matrix;
  /** Per latent: the planted class label, or null for a random row. */
  truth: (string | null)[];
}

function unit(v: Float32Array): Float32Array {
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += v[i] * v[i];
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}

function gaussian(rng: Rng, dim: number): Float32Array {
  const v = new Float32Array(dim);
  rng.fillNormal(v);
  return unit(v);
}

/** Generate the planted-class layout (deterministic for a seed). */
export function plantedClassBenchmark(options: PlantedClassOptions = {}): PlantedClassBenchmark {
  const rng = new Rng(options.seed ?? 18);
  let classes: Matrix;
  let labels: string[];
  if (options.classEmbeddings) {
    classes = options.classEmbeddings;
    labels = options.classLabels ?? Array.from({ length: classes.rows }, (_, i) => `class-${i}`);
    if (labels.length !== classes.rows) throw new ConceptsInputError(`planted classes: ${labels.length} labels for ${classes.rows} embeddings`);
  } else {
    const n = options.classes ?? 1000;
    const dim = options.dim ?? 512;
    const familySize = options.familySize ?? 10;
    const shared = gaussian(rng, dim);
    const families: Float32Array[] = [];
    const data = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      const f = Math.floor(i / familySize);
      if (!families[f]) families[f] = gaussian(rng, dim);
      const own = gaussian(rng, dim);
      // specific part = normalize(0.6 family + 0.8 own); t = normalize(0.79 shared + 0.61 specific)
      const specific = unit(families[f].map((x, k) => 0.6 * x + 0.8 * own[k]));
      data.set(unit(specific.map((x, k) => 0.79 * shared[k] + 0.61 * x)), i * dim);
    }
    classes = { data, rows: n, cols: dim };
    labels = Array.from({ length: n }, (_, i) => `class-${i}`);
  }
  const dim = classes.cols;
  const nPlanted = Math.min(options.planted ?? 200, classes.rows);
  const nRandom = options.random ?? 312;
  const cos = options.cosine ?? 0.96;
  // cos(t + s n, t) = 1 / sqrt(1 + s^2) for unit t and unit n orthogonal in high dimension
  const sigma = Math.sqrt(1 / (cos * cos) - 1);
  const chosen = Array.from(rng.permutation(classes.rows)).slice(0, nPlanted);
  const decoder = new Float32Array((nPlanted + nRandom) * dim);
  const truth: (string | null)[] = [];
  chosen.forEach((c, i) => {
    const t = unit(Float32Array.from(classes.data.subarray(c * dim, (c + 1) * dim)));
    const n = gaussian(rng, dim);
    decoder.set(unit(t.map((x, k) => x + sigma * n[k])), i * dim);
    truth.push(labels[c]);
  });
  for (let i = 0; i < nRandom; i++) {
    decoder.set(gaussian(rng, dim), (nPlanted + i) * dim);
    truth.push(null);
  }
  return { vocabulary: { labels, embeddings: classes }, decoder: { data: decoder, rows: nPlanted + nRandom, cols: dim }, truth };
}

/** Precision and recall of names against a planted truth. */
export interface NamingPrecision {
  fdr: number;
  named: number;
  /** Named with the planted label / named. */
  precision: number;
  /** Planted latents named with their label / planted latents. */
  recall: number;
  /** Random latents left unnamed / random latents. */
  randomUnnamed: number;
}

/**
 * The acceptance rule's precision and recall across FDR levels, from each latent's decoder p-value
 * and best label (named iff p <= the BH cutoff at that level).
 */
export function precisionAcrossFdr(truth: (string | null)[], bestLabels: (string | null)[], pValues: ArrayLike<number>, fdrs: number[]): NamingPrecision[] {
  return fdrs.map((fdr) => {
    const { cutoff } = benjaminiHochberg(pValues, fdr);
    let named = 0;
    let correct = 0;
    let planted = 0;
    let random = 0;
    let randomUnnamed = 0;
    truth.forEach((t, i) => {
      const isNamed = cutoff >= 0 && pValues[i] <= cutoff;
      if (isNamed) named++;
      if (t === null) {
        random++;
        if (!isNamed) randomUnnamed++;
      } else {
        planted++;
        if (isNamed && bestLabels[i] === t) correct++;
      }
    });
    return { fdr, named, precision: named ? correct / named : 1, recall: planted ? correct / planted : 0, randomUnnamed: random ? randomUnnamed / random : 1 };
  });
}
