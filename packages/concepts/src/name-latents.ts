import type { Matrix } from '@msae/core';
import { confidence, DEFAULT_THRESHOLDS, passesThresholds, type NamingThresholds } from './confidence.js';
import { cosineSearch, unitRows } from './cosine-search.js';
import { decoderDirections, type DecoderMapping, type InputNormalization } from './decoder-directions.js';
import type { MatmulABt } from '@msae/core';
import { ConceptsInputError } from './errors.js';

/** Concept labels and their CLIP embeddings (row i embeds labels[i]). */
export interface VocabularyEmbeddings {
  labels: string[];
  embeddings: Matrix;
}

/** One vocabulary concept proposed for a latent. */
export interface Candidate {
  /** The concept's text. */
  label: string;
  /** Row of the concept in the vocabulary. */
  entry: number;
  /** Cosine between the mapped decoder row and the concept's (by default mean-centred) embedding. */
  score: number;
}

/** The naming decision for one latent. */
export interface LatentName {
  /** Latent (decoder row) index. */
  index: number;
  /** The best concept when it passes the thresholds, else null. */
  name: string | null;
  /** Cosine of the best concept. */
  score: number;
  /** Best minus second-best distinct concept. */
  margin: number;
  /** z-score of the best cosine against all of the latent's vocabulary cosines. */
  z: number;
  /** Best distinct concepts, best first (the best guesses when unnamed). */
  candidates: Candidate[];
}

export interface NamingResult {
  latents: LatentName[];
  /** How many latents are named. */
  named: number;
  mapping: DecoderMapping;
  thresholds: NamingThresholds;
  vocabularySize: number;
  /** Whether scores are cosines with the mean-centred vocabulary. */
  centeredVocabulary: boolean;
}

export interface NameLatentsOptions {
  /** Decoder W_dec [dSae, dIn] (normalized space, as stored in a checkpoint). */
  decoder: Matrix;
  vocabulary: VocabularyEmbeddings;
  /** Checkpoint normalization (needed by the `affine` mapping). */
  normalization?: InputNormalization;
  /** Default `row`. */
  mapping?: DecoderMapping;
  /**
   * Compare against mean-centred vocabulary embeddings, e_i' = normalize(u_i - mean_v u_v) with
   * u_i = normalize(e_i) (default true). Removes the direction every text embedding shares (CLIP's
   * modality gap), which a decoder direction (a difference of image embeddings) lacks; SpLiCE centres
   * its concept vocabulary the same way. Ignored for vocabularies of fewer than 3 entries.
   */
  centerVocabulary?: boolean;
  /** Distinct candidates reported per latent (default 5, at least 2 are computed for the margin). */
  top?: number;
  thresholds?: Partial<NamingThresholds>;
  matmul?: MatmulABt;
  rowBlock?: number;
  keyBlock?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Extra raw matches kept per latent so duplicate labels (e.g. ImageNet's two "crane"s) can be merged. */
const DUPLICATE_SLACK = 8;

/**
 * Names every latent: maps decoder rows into CLIP space, finds each row's best vocabulary cosines
 * (blocked, never materializing the full score matrix), merges duplicate labels, and names a latent
 * only when its z-score and margin clear the thresholds.
 */
export async function nameLatents(options: NameLatentsOptions): Promise<NamingResult> {
  const { decoder, vocabulary } = options;
  const mapping = options.mapping ?? 'row';
  const thresholds: NamingThresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const top = Math.max(1, options.top ?? 5);
  const { labels, embeddings } = vocabulary;
  if (labels.length !== embeddings.rows) {
    throw new ConceptsInputError(`vocabulary has ${labels.length} labels but ${embeddings.rows} embeddings`);
  }
  if (embeddings.cols !== decoder.cols) {
    throw new ConceptsInputError(`vocabulary embeddings are ${embeddings.cols}-d but the decoder rows are ${decoder.cols}-d`);
  }
  const directions = decoderDirections(decoder, mapping, options.normalization);
  const center = (options.centerVocabulary ?? true) && embeddings.rows >= 3;
  const keys = center ? centeredRows(embeddings) : embeddings;
  const search = await cosineSearch(directions, keys, {
    keep: Math.max(top, 2) + DUPLICATE_SLACK,
    matmul: options.matmul,
    rowBlock: options.rowBlock,
    keyBlock: options.keyBlock,
    onProgress: options.onProgress,
  });
  const latents: LatentName[] = [];
  let named = 0;
  for (let r = 0; r < search.rows; r++) {
    const distinct: Candidate[] = [];
    const seen = new Set<string>();
    for (let p = r * search.keep; p < (r + 1) * search.keep; p++) {
      const entry = search.indices[p];
      if (entry < 0) break;
      const label = labels[entry];
      if (seen.has(label)) continue;
      seen.add(label);
      distinct.push({ label, entry, score: search.scores[p] });
    }
    const best = distinct[0];
    // runner-up: the second distinct concept; with a single distinct concept, the mean score
    const second = distinct.length > 1 ? distinct[1].score : search.mean[r];
    const c = confidence(best.score, second, search.mean[r], search.std[r]);
    // a row with no spread over the vocabulary (dead latent, zero row) says nothing: never named
    const isNamed = search.std[r] > 0 && passesThresholds(c, thresholds);
    if (isNamed) named++;
    latents.push({
      index: r,
      name: isNamed ? best.label : null,
      score: best.score,
      margin: c.margin,
      z: c.z,
      candidates: distinct.slice(0, top),
    });
  }
  return { latents, named, mapping, thresholds, vocabularySize: labels.length, centeredVocabulary: center };
}

/** Unit rows minus their mean: u_i - mean_v u_v with u_i = e_i / ||e_i|| (cosineSearch renormalizes). */
export function centeredRows(m: Matrix): Matrix {
  const u = unitRows(m);
  const { rows, cols } = u;
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += u.data[r * cols + c];
  // mean_v u_v
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) u.data[r * cols + c] -= mean[c];
  return u;
}
