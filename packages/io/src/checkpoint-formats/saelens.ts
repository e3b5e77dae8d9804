/**
 * SAELens checkpoint directories (the architecture mapping itself is core's registry, architectureFromSaeLens): cfg.json + sae_weights.safetensors (W_enc [d_in, d_sae], b_enc [d_sae],
 * W_dec [d_sae, d_in], b_dec [d_in]; F32, F16, BF16 or F64). Both cfg.json generations are read:
 *   pre-6.0  architecture 'standard', activation_fn_str 'relu' | 'topk', activation_fn_kwargs {k}, hook_name, ...
 *   6.x      architecture 'standard' | 'topk' | 'batchtopk' | ..., k, rescale_acts_by_decoder_norm, metadata {...}
 * SAELens' forward pass is z = act((norm(x) - b_dec * apply_b_dec_to_input) W_enc + b_enc), x^ = z W_dec + b_dec;
 * what differs from msae's is folded into the weights (apply_b_dec_to_input false, rescaled decoder norms,
 * a fine-tuning scaling factor); what cannot be expressed (JumpReLU or gated encoders, per-sample input
 * normalization, an unstated dataset scaling factor) is refused with a one-line IoError.
 */
import { architectureFromSaeLens, decodeSafetensors, getArchitecture, isMsaeError, type Architecture, type Normalization, type SaeParams } from '@msae/core';
import { IoError } from '../io-error.js';
import { buildCheckpoint, expectShape, foldDecoderBiasIntoEncoder, scaleDecoderRows, type CheckpointSource } from './foreign-checkpoint.js';
import type { Checkpoint } from '@msae/core';

const UNSUPPORTED: Record<string, string> = {
  jumprelu: 'JumpReLU (per-latent thresholds)',
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
  if (cfg.apply_b_dec_to_input === false) {
    foldDecoderBiasIntoEncoder(params, dIn, dSae);
    source.folded.push('apply_b_dec_to_input false: b_enc <- b_enc + b_dec W_enc');
  }
  if (cfg.rescale_acts_by_decoder_norm === true) {
    foldDecoderNorms(params, dIn, dSae);
    source.folded.push('rescale_acts_by_decoder_norm: W_enc[:, j], b_enc[j] *= ||W_dec[j]||, W_dec[j] /= ||W_dec[j]||');
  }
  const scaling = tensors.finetuning_scaling_factor ?? tensors.scaling_factor;
  if (scaling) {
    expectShape(weightsPath, tensors.finetuning_scaling_factor ? 'finetuning_scaling_factor' : 'scaling_factor', scaling.shape, [dSae]);
    scaleDecoderRows(params, scaling.data, dIn);
    source.folded.push('finetuning scaling factor: W_dec[j] *= s[j]');
  }
  for (const name of Object.keys(tensors)) if (!(name in shapes) && name !== 'scaling_factor' && name !== 'finetuning_scaling_factor') source.ignored.push(`tensor ${name}`);
  if (architecture === 'relu' && typeof cfg.l1_coefficient !== 'number') source.assumed.l1_coefficient = 0.003;
  source.assumed.loss = 'nmse';
  source.assumed.normalization = 'identity (mean 0, scale 1)';
  const normalization: Normalization = { mean: new Float32Array(dIn), scale: 1 };
  const l1 = architecture === 'relu' && typeof cfg.l1_coefficient === 'number' ? cfg.l1_coefficient : undefined;
  const checkpoint = buildCheckpoint(cfgPath, { dIn, dSae, architecture, k, l1 }, params, normalization, source);
  const hook = cfg.hook_name ?? metadata.hook_name;
  const model = cfg.model_name ?? metadata.model_name;
  if (typeof hook === 'string' || typeof model === 'string') (checkpoint.training!.source as CheckpointSource).extra = { model_name: model, hook_name: hook };
  return checkpoint;
}

/** The msae architecture via core's architecture registry (its SAELens mapping), with a reason for the known misfits. */
function resolveArchitecture(cfgPath: string, cfg: Record<string, unknown>): { architecture: Architecture; k: unknown } {
  const arch = cfg.architecture ?? 'standard';
  if (typeof arch !== 'string') throw new IoError(cfgPath, `'architecture' must be a string, got ${JSON.stringify(arch)}`);
  if (UNSUPPORTED[arch]) throw new IoError(cfgPath, `architecture '${arch}' (${UNSUPPORTED[arch]}) cannot be run by msae (it runs relu, topk, batchtopk and msae SAEs)`);
  try {
    const { architecture, k } = architectureFromSaeLens(cfg, cfgPath);
    return { architecture, k };
  } catch (err) {
    if (isMsaeError(err)) throw new IoError(cfgPath, err.problem, { cause: err });
    throw err;
  }
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
