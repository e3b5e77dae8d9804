import { latentsForConcept, type NamedLatents } from '@msae/concepts';
import type { Matrix } from '@msae/core';
import { AnalysisError, UnknownConceptError } from './errors.js';

/** One latent that carries a concept: named with it, or with a decoder direction aligned to the concept's text direction. */
export interface ConceptCarrier {
  latent: number;
  named: boolean;
  /** cos(W_dec[j], concept direction) */
  alignment: number;
}

export interface ConceptLatentSet {
  concept: string;
  /** The alignment a latent needs to count without a name. */
  threshold: number;
  /** Named latents first, then the aligned ones by alignment. */
  carriers: ConceptCarrier[];
}

/** Default alignment a decoder direction needs to count as carrying a concept (the threshold reported with every mapping). */
export const DEFAULT_ALIGNMENT_THRESHOLD = 0.2;

/**
 * A concept's text direction from a vocabulary: t = normalize(u_i - mean_v u_v), u = the unit text embeddings
 * (centred as the naming does, removing the direction every text shares); the concept is matched case-insensitively.
 */
export function conceptDirection(vocabulary: { labels: readonly string[]; embeddings: Matrix }, concept: string, options: { center?: boolean } = {}): Float32Array {
  const { labels, embeddings } = vocabulary;
  const key = concept.trim().toLowerCase();
  const i = labels.findIndex((l) => l.trim().toLowerCase() === key);
  if (i < 0) throw new UnknownConceptError(concept);
  const d = embeddings.cols;
  const unit = (r: number) => {
    let s = 0;
    for (let c = 0; c < d; c++) s += embeddings.data[r * d + c] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    return Float32Array.from(embeddings.data.subarray(r * d, (r + 1) * d), (v) => v * inv);
  };
  const out = unit(i);
  if (options.center !== false && embeddings.rows >= 3) {
    const mean = new Float64Array(d);
    for (let r = 0; r < embeddings.rows; r++) {
      const u = unit(r);
      for (let c = 0; c < d; c++) mean[c] += u[c] / embeddings.rows;
    }
    for (let c = 0; c < d; c++) out[c] -= mean[c]; // u_i - mean_v u_v
  }
  return normalize(out);
}

/**
 * Every latent that carries a concept: the latents named with it (when a naming result is given) and every
 * latent whose decoder row W_dec[j] has cos(W_dec[j], direction) >= threshold.
 */
export function conceptLatentSet(input: { decoder: Matrix; direction: Float32Array; concept: string; naming?: NamedLatents; threshold?: number }): ConceptLatentSet {
  const { decoder, direction } = input;
  if (direction.length !== decoder.cols) throw new AnalysisError(`concept "${input.concept}": direction has ${direction.length} dimensions but the decoder has ${decoder.cols}`);
  const threshold = input.threshold ?? DEFAULT_ALIGNMENT_THRESHOLD;
  const t = normalize(Float32Array.from(direction));
  const alignment = new Float64Array(decoder.rows);
  for (let j = 0; j < decoder.rows; j++) {
    let dot = 0, nn = 0;
    const o = j * decoder.cols;
    for (let d = 0; d < decoder.cols; d++) {
      dot += decoder.data[o + d] * t[d];
      nn += decoder.data[o + d] ** 2;
    }
    alignment[j] = nn > 0 ? dot / Math.sqrt(nn) : 0; // cos(W_dec[j], t)
  }
  const named = new Set(input.naming ? latentsForConcept(input.naming, input.concept).map((l) => l.index) : []);
  const carriers: ConceptCarrier[] = [];
  for (const j of named) carriers.push({ latent: j, named: true, alignment: alignment[j] });
  const aligned: ConceptCarrier[] = [];
  for (let j = 0; j < decoder.rows; j++) if (!named.has(j) && alignment[j] >= threshold) aligned.push({ latent: j, named: false, alignment: alignment[j] });
  aligned.sort((a, b) => b.alignment - a.alignment || a.latent - b.latent);
  carriers.sort((a, b) => b.alignment - a.alignment || a.latent - b.latent);
  return { concept: input.concept, threshold, carriers: [...carriers, ...aligned] };
}

function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}
