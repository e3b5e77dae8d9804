import { blockedMatmulABt, createSaeInference, encodeCodes, type MatmulABt, type Matrix } from '@msae/core';
import type { InputNormalization } from './decoder-directions.js';
import { ConceptsInputError } from './errors.js';

/** The encoder half of an SAE checkpoint (SAELens layout, row-major). */
export interface SaeEncoder {
  dIn: number;
  dSae: number;
  /** [dIn, dSae] */
  W_enc: Float32Array;
  /** [dSae] */
  b_enc: Float32Array;
  /** [dIn] */
  b_dec: Float32Array;
  /** The checkpoint's architecture: picks the gate from core's registry (jumprelu: log_threshold). */
  architecture?: string;
  /** [dSae] JumpReLU: theta = exp(log_threshold); a set one is applied even without `architecture`. */
  log_threshold?: Float32Array;
}

export interface ActivationStatisticsOptions {
  /** Samples in CLIP space (the original, un-normalized embeddings) [rows, dIn]. */
  data: Matrix;
  encoder: SaeEncoder;
  normalization: InputNormalization;
  /** Latents whose top-activating samples are collected (default: none, frequencies only). */
  latents?: number[];
  /** Top-activating samples kept per collected latent (default 32). */
  topSamples?: number;
  /** Keep only each row's top-k positive gated codes (ties: lower index); default every positive code. */
  k?: number;
  matmul?: MatmulABt;
  /** Samples encoded per block (default 2048). */
  rowBlock?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ActivationStatistics {
  samples: number;
  /** Per latent: fraction of samples where its code is non-zero. */
  frequency: Float64Array;
  /** Collected latents, in the order given. */
  latents: number[];
  topSamples: number;
  /** [latents.length, topSamples] sample rows by activation, highest first (-1: fewer active samples). */
  topRows: Int32Array;
  /** [latents.length, topSamples] the matching activations. */
  topValues: Float32Array;
}

/**
 * Encodes the data with the SAE in blocks through core's inference module (x_n = (x - mean) * s;
 * pre = (x_n - b_dec) W_enc + b_enc; z = the architecture's gate of pre (ReLU, or JumpReLU's thresholds),
 * optionally per-row top-k) and gathers each latent's activation frequency and the top-activating samples
 * of the requested latents.
 */
export async function activationStatistics(options: ActivationStatisticsOptions): Promise<ActivationStatistics> {
  const { data, encoder, normalization } = options;
  const { dIn, dSae } = encoder;
  if (data.cols !== dIn) throw new ConceptsInputError(`data rows are ${data.cols}-d but the SAE expects ${dIn}-d inputs`);
  if (normalization.mean.length !== dIn) throw new ConceptsInputError(`normalization mean has ${normalization.mean.length} values, expected ${dIn}`);
  const model = createSaeInference(
    { config: { dIn, dSae, architecture: encoder.architecture }, params: encoder, normalization },
    { matmul: options.matmul ?? blockedMatmulABt },
  );
  const rowBlock = Math.max(1, options.rowBlock ?? 2048);
  const latents = options.latents ?? [];
  for (const l of latents) {
    if (!Number.isInteger(l) || l < 0 || l >= dSae) throw new ConceptsInputError(`latent ${l} is out of range [0, ${dSae})`);
  }
  const m = Math.max(1, options.topSamples ?? 32);
  const topRows = new Int32Array(latents.length * m).fill(-1);
  const topValues = new Float32Array(latents.length * m).fill(0);
  const counts = new Float64Array(dSae);
  const total = Math.ceil(data.rows / rowBlock);
  for (let r0 = 0, blockNo = 0; r0 < data.rows; r0 += rowBlock, blockNo++) {
    const rows = Math.min(data.rows, r0 + rowBlock) - r0;
    const z = await encodeCodes(model, data, { start: r0, count: rows, k: options.k });
    for (let r = 0; r < rows; r++) {
      const row = z.subarray(r * dSae, (r + 1) * dSae);
      for (let j = 0; j < dSae; j++) if (row[j] > 0) counts[j]++;
      for (let li = 0; li < latents.length; li++) {
        const v = row[latents[li]];
        const top = li * m;
        const last = top + m - 1;
        if (v > 0 && v > topValues[last]) {
          let p = last;
          while (p > top && topValues[p - 1] < v) {
            topValues[p] = topValues[p - 1];
            topRows[p] = topRows[p - 1];
            p--;
          }
          topValues[p] = v;
          topRows[p] = r0 + r;
        }
      }
    }
    options.onProgress?.(blockNo + 1, total);
  }
  const frequency = new Float64Array(dSae);
  // freq_j = #{b : z_bj > 0} / B
  for (let j = 0; j < dSae; j++) frequency[j] = data.rows ? counts[j] / data.rows : 0;
  return { samples: data.rows, frequency, latents: [...latents], topSamples: m, topRows, topValues };
}

/** What the data says about a named latent. */
export interface LatentEvidence {
  index: number;
  /** Fraction of samples where the latent is active. */
  frequency: number;
  /** Active samples among the top ones collected. */
  topCount: number;
  /** cos(concept text embedding, mean of the latent's top-activating samples). */
  topCosine: number;
  /** cos(concept text embedding, mean of all samples): what topCosine is compared against. */
  baselineCosine: number;
  /** topCosine - baselineCosine: > 0 when the latent's top samples look more like the concept than the average sample. */
  lift: number;
  /** Top-activating sample rows, highest first. */
  topRows: number[];
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  // cos = a.b / (|a| |b|)
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * Evidence for each collected latent: its frequency and the cosine between its concept's text
 * embedding (`concepts[i]` for `stats.latents[i]`) and the mean embedding of its top-activating samples.
 */
export function activationEvidence(stats: ActivationStatistics, data: Matrix, concepts: ArrayLike<number>[]): LatentEvidence[] {
  if (concepts.length !== stats.latents.length) {
    throw new ConceptsInputError(`activation evidence: ${stats.latents.length} latents but ${concepts.length} concept embeddings`);
  }
  const d = data.cols;
  const dataMean = new Float64Array(d);
  for (let r = 0; r < data.rows; r++) for (let c = 0; c < d; c++) dataMean[c] += data.data[r * d + c];
  for (let c = 0; c < d; c++) dataMean[c] /= Math.max(1, data.rows);
  return stats.latents.map((latent, li) => {
    const rows: number[] = [];
    for (let p = li * stats.topSamples; p < (li + 1) * stats.topSamples; p++) if (stats.topRows[p] >= 0) rows.push(stats.topRows[p]);
    const topMean = new Float64Array(d);
    for (const r of rows) for (let c = 0; c < d; c++) topMean[c] += data.data[r * d + c];
    const baselineCosine = cosine(concepts[li], dataMean);
    // a latent that never fired has no top samples: report the baseline and no lift
    const topCosine = rows.length ? cosine(concepts[li], topMean) : baselineCosine;
    // lift = cos(t, mean_top x) - cos(t, mean_all x)
    return { index: latent, frequency: stats.frequency[latent], topCount: rows.length, topCosine, baselineCosine, lift: topCosine - baselineCosine, topRows: rows };
  });
}

/**
 * Un-names latents the data contradicts: a named latent whose evidence lift is below `minLift` (or that
 * never fired) becomes unnamed, keeping its candidates. Returns the new named count.
 */
export function gateByEvidence(
  latents: { index: number; name: string | null }[],
  evidence: Map<number, LatentEvidence>,
  minLift: number,
): number {
  let named = 0;
  for (const l of latents) {
    if (l.name === null) continue;
    const e = evidence.get(l.index);
    if (!e || e.topCount === 0 || e.lift < minLift) l.name = null;
    else named++;
  }
  return named;
}
