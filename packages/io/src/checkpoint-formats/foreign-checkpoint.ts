/**
 * What every foreign checkpoint reader (SAELens, the paper's .pth, dictionary_learning) produces: an msae
 * Checkpoint whose config comes from resolveConfig, so the msae-only keys the source lacks get the same
 * defaults as `msae-train` (documented in the io README):
 *   weighting  rw for msae, uw otherwise      loss  nmse
 *   l1         the source's L1 coefficient for relu, else 0.003 (relu) / 0
 *   nesting    msae: k, 2k, 4k, ... < d_sae, then d_sae; other architectures: [k] ([d_sae] for relu)
 *   normalization  mean 0, scale 1 unless the source stores one
 * and records where it came from in `training.source`.
 */
import { getArchitecture, isMsaeError, PARAM_NAMES, paramShapes, resolveConfig, type Architecture, type Checkpoint, type Normalization, type SaeConfig, type SaeParams, type Weighting } from '@msae/core';
import { extraTensorsOf } from '@msae/core/internal';
import { IoError } from '../io-error.js';

/** The checkpoint layouts loadCheckpoint reads. */
export type CheckpointFormat = 'msae' | 'saelens' | 'paper-pth' | 'dictionary-learning';

/** Human-readable names of the formats, for messages. */
export const FORMAT_NAMES: Record<CheckpointFormat, string> = {
  msae: 'msae checkpoint directory',
  saelens: 'SAELens checkpoint directory',
  'paper-pth': "MSAE paper's .pth checkpoint",
  'dictionary-learning': 'dictionary_learning checkpoint',
};

/** What the source says (or what was assumed) about the SAE, before msae's defaults fill in the rest. */
export interface ForeignConfig {
  dIn: number;
  dSae: number;
  architecture: Architecture;
  k?: number;
  weighting?: Weighting;
  l1?: number;
  /** jumprelu: SAELens' l0_coefficient, jumprelu_bandwidth, jumprelu_init_threshold (training keys). */
  l0?: number;
  bandwidth?: number;
  initThreshold?: number;
}

/** Provenance stored in the converted checkpoint's cfg.json as training.source. */
export interface CheckpointSource {
  format: CheckpointFormat;
  /** The file or directory read. */
  path: string;
  /** Version of the writing tool when the source names it (e.g. SAELens' sae_lens_version). */
  version?: string;
  /** Settings msae chose because the source does not state them (key -> value). */
  assumed: Record<string, unknown>;
  /** Transformations applied to the weights so msae's forward pass equals the source's (one line each). */
  folded: string[];
  /** Entries of the source that msae does not use. */
  ignored: string[];
  /** Extra facts worth keeping (e.g. the paper's target_norm). */
  extra?: Record<string, unknown>;
}

/** Build and validate the msae Checkpoint: config via resolveConfig, every tensor of the right length and finite. */
export function buildCheckpoint(file: string, cfg: ForeignConfig, params: SaeParams, normalization: Normalization, source: CheckpointSource): Checkpoint {
  let config: SaeConfig;
  try {
    const { options } = getArchitecture(cfg.architecture);
    config = resolveConfig({
      dIn: cfg.dIn,
      dSae: cfg.dSae,
      architecture: cfg.architecture,
      k: options.k ? cfg.k : undefined,
      weighting: options.weighting ? cfg.weighting : undefined,
      l1: options.l1 ? cfg.l1 : undefined,
      ...(options.threshold ? { l0: cfg.l0, bandwidth: cfg.bandwidth, initThreshold: cfg.initThreshold } : {}),
    });
  } catch (err) {
    if (isMsaeError(err)) throw new IoError(file, err.problem, { cause: err });
    throw err;
  }
  const shapes = paramShapes(config);
  for (const name of PARAM_NAMES) {
    const t = params[name];
    const size = shapes[name].reduce((a, b) => a * b, 1);
    if (!(t instanceof Float32Array) || t.length !== size) throw new IoError(file, `tensor ${name} has ${t?.length ?? 0} values, expected ${size} ([${shapes[name].join(', ')}])`);
    for (let i = 0; i < t.length; i++) if (!Number.isFinite(t[i])) throw new IoError(file, `tensor ${name} has a non-finite value at index ${i}`);
  }
  for (const extra of extraTensorsOf(config.architecture)) {
    const t = (params as unknown as Record<string, Float32Array | undefined>)[extra.param];
    if (!(t instanceof Float32Array) || t.length !== config.dSae) throw new IoError(file, `${extra.description} has ${t?.length ?? 0} values, expected d_sae ${config.dSae}`);
  }
  if (normalization.mean.length !== cfg.dIn) throw new IoError(file, `input mean has ${normalization.mean.length} values, expected d_in ${cfg.dIn}`);
  if (!(Number.isFinite(normalization.scale) && normalization.scale > 0)) throw new IoError(file, `input scaling factor ${normalization.scale} is not a positive number`);
  for (let i = 0; i < normalization.mean.length; i++) if (!Number.isFinite(normalization.mean[i])) throw new IoError(file, `input mean has a non-finite value at index ${i}`);
  return { config, params, normalization, training: { source: { ...source } } };
}

/** A shape check with the standard one-line message. */
export function expectShape(file: string, name: string, shape: number[], expected: number[], what = ''): void {
  if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    throw new IoError(file, `tensor '${name}' has shape [${shape.join(', ')}], expected [${expected.join(', ')}]${what ? ` (${what})` : ''}`);
  }
}

/** Transpose a row-major [rows, cols] matrix. */
export function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/**
 * Fold a pre-encoder input that is not centred by b_dec into msae's form:
 * x W_enc + b_enc = (x - b_dec) W_enc + (b_enc + b_dec W_enc), so b_enc' = b_enc + b_dec W_enc (float64 sums).
 */
export function foldDecoderBiasIntoEncoder(p: SaeParams, dIn: number, dSae: number): void {
  const acc = Float64Array.from(p.b_enc);
  for (let d = 0; d < dIn; d++) {
    const b = p.b_dec[d];
    for (let j = 0; j < dSae; j++) acc[j] += b * p.W_enc[d * dSae + j]; // sum_d b_dec[d] W_enc[d, j]
  }
  p.b_enc = Float32Array.from(acc);
}

/** Scale latent j's decoder row by s_j (codes are multiplied by s_j before decoding): W_dec[j] *= s_j. */
export function scaleDecoderRows(p: SaeParams, s: Float32Array, dIn: number): void {
  for (let j = 0; j < s.length; j++) for (let d = 0; d < dIn; d++) p.W_dec[j * dIn + d] *= s[j];
}
