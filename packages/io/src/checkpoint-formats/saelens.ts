/**
 * SAELens checkpoint directories (the architecture mapping itself is core's registry, architectureFromSaeLens): cfg.json + sae_weights.safetensors (W_enc [d_in, d_sae], b_enc [d_sae],
 * W_dec [d_sae, d_in], b_dec [d_in]; F32, F16, BF16 or F64). Both cfg.json generations are read:
 *   pre-6.0  architecture 'standard', activation_fn_str 'relu' | 'topk', activation_fn_kwargs {k}, hook_name, ...
 *   6.x      architecture 'standard' | 'topk' | 'batchtopk' | ..., k, rescale_acts_by_decoder_norm, metadata {...}
 * SAELens' forward pass is z = act((norm(x) - b_dec * apply_b_dec_to_input) W_enc + b_enc), x^ = z W_dec + b_dec;
 * what differs from msae's is folded into the weights (apply_b_dec_to_input false, rescaled decoder norms,
 * a fine-tuning scaling factor); what cannot be expressed (gated encoders, per-sample input normalization,
 * an unstated dataset scaling factor) is refused with a one-line IoError.
 * JumpReLU (architecture 'jumprelu'): z = pre * H(pre - threshold); the inference SAE stores `threshold` [d_sae],
 * the training SAE `log_threshold`; msae keeps log_threshold = log(threshold).
 */
import { architectureFromSaeLens, decodeSafetensors, getArchitecture, isMsaeError, type Architecture, type Normalization, type SaeParams } from '@msae/core';
import { extraTensorFileNames, extraTensorsOf, readExtraTensors } from '@msae/core/internal';
import { IoError } from '../io-error.js';
import { buildCheckpoint, expectShape, foldDecoderBiasIntoEncoder, scaleDecoderRows, type CheckpointSource } from './foreign-checkpoint.js';
import type { Checkpoint } from '@msae/core';

const UNSUPPORTED: Record<string, string> = {
  gated: 'gated',
  matryoshka_batchtopk: 'Matryoshka BatchTopK training',
  matching_pursuit: 'matching pursuit',
  temporal: 'temporal',
  transcoder: 'transcoder',
};

/** Read a SAELens directory's cfg.json object and sae_weights.safetensors bytes as an msae Checkpoint. */
export function decodeSaeLensCheckpoint(dir: string, cfgPath: string, cfg: Record<string, unknown>, weightsPath: string, weights: Uint8Array): Checkpoint {
  const int = (key: string, v: unknown): number => {
    if (!(typeof v === 'number' && Number.isInteger(v) && v > 0)) throw new IoError(cfgPath, `'${key}' must be a positive integer, got ${JSON.stringify(v) ?? 'nothing'}`);
    return v;
  };
  const dIn = int('d_in', cfg.d_in);
  const dSae = int('d_sae', cfg.d_sae);
  const metadata = isObject(cfg.metadata) ? cfg.metadata : {};
  const version = [cfg.sae_lens_version, metadata.sae_lens_version, cfg.sae_lens_training_version, metadata.sae_lens_training_version].find((v) => typeof v === 'string') as string | undefined;
  const source: CheckpointSource = { format: 'saelens', path: dir, version, assumed: {}, folded: [], ignored: [] };

  const { architecture, k: rawK } = resolveArchitecture(cfgPath, cfg);
  let k: number | undefined;
  if (getArchitecture(architecture).options.k) {
    if (rawK === undefined) throw new IoError(cfgPath, `architecture ${architecture} needs 'k' (or activation_fn_kwargs.k)`);
    k = int('k', rawK);
  }
  checkNormalization(cfgPath, cfg.normalize_activations);

  const { tensors } = withCoreError(weightsPath, () => decodeSafetensors(weights, weightsPath));
  const shapes: Record<string, number[]> = { W_enc: [dIn, dSae], b_enc: [dSae], W_dec: [dSae, dIn], b_dec: [dIn] };
  const params = {} as SaeParams;
  for (const [name, shape] of Object.entries(shapes) as [keyof SaeParams, number[]][]) {
    const t = tensors[name];
    if (!t) throw new IoError(weightsPath, `missing tensor '${name}'`);
    expectShape(weightsPath, name, t.shape, shape, `d_in ${dIn}, d_sae ${dSae} in cfg.json`);
    params[name] = t.data;
  }
  Object.assign(params, readExtraTensors({ architecture, dSae }, tensors, (m) => new IoError(weightsPath, m))); // the architecture's extra tensors (jumprelu: log_threshold)
  if (cfg.apply_b_dec_to_input === false) {
    foldDecoderBiasIntoEncoder(params, dIn, dSae);
    source.folded.push('apply_b_dec_to_input false: b_enc <- b_enc + b_dec W_enc');
  }
  if (cfg.rescale_acts_by_decoder_norm === true) {
    const extras = extraTensorsOf(architecture);
    if (extras.length > 0) throw new IoError(cfgPath, `rescale_acts_by_decoder_norm with ${extras.map((e) => e.description).join(', ')} is not supported (fold the decoder norms in SAELens and save again)`);
    foldDecoderNorms(params, dIn, dSae);
    source.folded.push('rescale_acts_by_decoder_norm: W_enc[:, j], b_enc[j] *= ||W_dec[j]||, W_dec[j] /= ||W_dec[j]||');
  }
  const scaling = tensors.finetuning_scaling_factor ?? tensors.scaling_factor;
  if (scaling) {
    expectShape(weightsPath, tensors.finetuning_scaling_factor ? 'finetuning_scaling_factor' : 'scaling_factor', scaling.shape, [dSae]);
    scaleDecoderRows(params, scaling.data, dIn);
    source.folded.push('finetuning scaling factor: W_dec[j] *= s[j]');
  }
  const used = new Set(['scaling_factor', 'finetuning_scaling_factor', ...extraTensorFileNames(architecture)]);
  for (const name of Object.keys(tensors)) if (!(name in shapes) && !used.has(name)) source.ignored.push(`tensor ${name}`);
  if (architecture === 'relu' && typeof cfg.l1_coefficient !== 'number') source.assumed.l1_coefficient = 0.003;
  source.assumed.loss = 'nmse';
  const normalization = msaeNormalization(cfgPath, cfg.normalization, dIn, source);
  const l1 = architecture === 'relu' && typeof cfg.l1_coefficient === 'number' ? cfg.l1_coefficient : undefined;
  const checkpoint = buildCheckpoint(cfgPath, { dIn, dSae, architecture, k, l1, ...saeLensOptions(cfg, architecture, source) }, params, normalization, source);
  const hook = cfg.hook_name ?? metadata.hook_name;
  const model = cfg.model_name ?? metadata.model_name;
  if (typeof hook === 'string' || typeof model === 'string') (checkpoint.training!.source as CheckpointSource).extra = { model_name: model, hook_name: hook };
  return checkpoint;
}

/** The msae architecture via core's architecture registry (its SAELens mapping), with a reason for the known misfits. */
function resolveArchitecture(cfgPath: string, cfg: Record<string, unknown>): { architecture: Architecture; k: unknown } {
  const arch = cfg.architecture ?? 'standard';
  if (typeof arch !== 'string') throw new IoError(cfgPath, `'architecture' must be a string, got ${JSON.stringify(arch)}`);
  if (UNSUPPORTED[arch]) throw new IoError(cfgPath, `architecture '${arch}' (${UNSUPPORTED[arch]}) cannot be run by msae (it runs relu, topk, batchtopk, msae and jumprelu SAEs)`);
  try {
    const { architecture, k } = architectureFromSaeLens(cfg, cfgPath);
    return { architecture, k };
  } catch (err) {
    if (isMsaeError(err)) throw new IoError(cfgPath, err.problem, { cause: err });
    throw err;
  }
}

/** The architecture's options from their SAELens cfg keys (as its definition declares them); `assumed` values are reported. */
function saeLensOptions(cfg: Record<string, unknown>, architecture: Architecture, source: CheckpointSource): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const { option, key, assumed } of getArchitecture(architecture).saeLens.optionKeys ?? []) {
    out[option] = typeof cfg[key] === 'number' ? (cfg[key] as number) : undefined;
    if (out[option] === undefined && assumed !== undefined) source.assumed[key] = assumed;
  }
  return out;
}

/**
 * msae's `normalization` key (x_n = (x - mean) * scale), found in a cfg.json without `"format": "msae"`: it changes the
 * math, so it is applied, never dropped; a malformed one refuses the file naming the key. Absent: identity (assumed).
 */
function msaeNormalization(cfgPath: string, value: unknown, dIn: number, source: CheckpointSource): Normalization {
  if (value === undefined) {
    source.assumed.normalization = 'identity (mean 0, scale 1)';
    return { mean: new Float32Array(dIn), scale: 1 };
  }
  const mean = isObject(value) ? value.mean : undefined;
  const scale = isObject(value) ? value.scale : undefined;
  const meanOk = Array.isArray(mean) && mean.length === dIn && mean.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!meanOk || !(typeof scale === 'number' && Number.isFinite(scale) && scale > 0)) {
    throw new IoError(cfgPath, `'normalization' must be {mean: ${dIn} numbers (d_in), scale: a positive number} (msae's input normalization, which changes the math)`);
  }
  source.folded.push('normalization (msae key): x_n = (x - mean) * scale');
  return { mean: Float32Array.from(mean as number[]), scale };
}

function checkNormalization(cfgPath: string, mode: unknown): void {
  if (mode === undefined || mode === null || mode === false || mode === 'none') return;
  if (mode === true || mode === 'expected_average_only_in') {
    throw new IoError(cfgPath, "normalize_activations 'expected_average_only_in' needs the dataset's scaling factor, which cfg.json does not hold; fold it into the weights (SAELens: sae.fold_activation_norm_scaling_factor) and save again");
  }
  throw new IoError(cfgPath, `normalize_activations '${String(mode)}' normalizes every input separately, which msae's fixed input normalization cannot express`);
}

/** rescale_acts_by_decoder_norm: pre_j = ||W_dec_j|| ((x - b_dec) W_enc_j + b_enc_j), decoded with W_dec_j / ||W_dec_j||. */
function foldDecoderNorms(p: SaeParams, dIn: number, dSae: number): void {
  for (let j = 0; j < dSae; j++) {
    let sq = 0;
    for (let d = 0; d < dIn; d++) sq += p.W_dec[j * dIn + d] ** 2;
    const n = Math.sqrt(sq); // ||W_dec[j]||
    if (!(n > 0)) continue;
    for (let d = 0; d < dIn; d++) {
      p.W_enc[d * dSae + j] *= n;
      p.W_dec[j * dIn + d] /= n;
    }
    p.b_enc[j] *= n;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function withCoreError<T>(file: string, body: () => T): T {
  try {
    return body();
  } catch (err) {
    if (err instanceof IoError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new IoError(file, message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message, { cause: err });
  }
}
