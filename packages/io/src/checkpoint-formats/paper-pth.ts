/**
 * The MSAE paper's released checkpoints (Zaigrajew et al. 2025): torch.save({"model": state_dict,
 * "mean_center", "scaling_factor", "target_norm"}) with state_dict pre_bias [d_in], encoder [d_in, n],
 * latent_bias [n], decoder [n, d_in] (absent when tied: decoder = encoder^T), latents_activation_frequency.
 * The paper's forward pass is z = act((x_n - pre_bias) encoder + latent_bias), x^_n = z decoder + pre_bias with
 * x_n = (x - mean_center) * scaling_factor: msae's b_dec, W_enc, b_enc, W_dec and Normalization {mean, scale}
 * one to one. The config is in the file name, as the paper's load_model reads it:
 *   <n_latents>_<n_inputs>_<activation>[_<k>][_<RW|UW>]_<tied>_<normalize>_<latent_soft_cap>_<dataset...>.pth
 */
import { DEFAULT_K, type Architecture, type Checkpoint, type Weighting } from '@msae/core';
import { IoError } from '../io-error.js';
import { buildCheckpoint, expectShape, transpose, type CheckpointSource } from './foreign-checkpoint.js';
import { isTorchTensor, type TorchTensor } from './torch-tensor.js';

/** What the paper's file name says. */
export interface PaperFileName {
  nLatents: number;
  nInputs: number;
  activation: string;
  k?: number;
  weighting?: Weighting;
  tied?: boolean;
  normalize?: boolean;
  softCap?: number;
}

/** Parse the paper's checkpoint name; undefined when the name does not follow it. */
export function parsePaperFileName(file: string): PaperFileName | undefined {
  const parts = file.replace(/^.*[\\/]/, '').replace(/\.(pth|pt)$/i, '').split('_'); // basename without the extension
  const nLatents = Number(parts[0]);
  const nInputs = Number(parts[1]);
  const activation = parts[2];
  if (!Number.isInteger(nLatents) || !Number.isInteger(nInputs) || !activation || !/^(TopK|BatchTopK|ReLU|JumpReLU)/.test(activation)) return undefined;
  const out: PaperFileName = { nLatents, nInputs, activation };
  let i = 3;
  if (/TopK|JumpReLU/.test(activation)) {
    const k = Number(parts[i++]);
    if (!Number.isInteger(k) || k < 1) return undefined;
    out.k = k;
  }
  if (parts[i] === 'RW' || parts[i] === 'UW') out.weighting = parts[i++].toLowerCase() as Weighting;
  const bool = (s: string | undefined) => (s === 'True' ? true : s === 'False' ? false : undefined);
  out.tied = bool(parts[i++]);
  out.normalize = bool(parts[i++]);
  const cap = Number(parts[i]);
  if (parts[i] !== undefined && Number.isFinite(cap)) out.softCap = cap;
  return out;
}

/** Is this unpickled object the paper's checkpoint dict ({"model": state_dict, ...})? */
export function isPaperCheckpoint(value: unknown): value is Map<string, unknown> {
  return value instanceof Map && value.get('model') instanceof Map && (value.get('model') as Map<string, unknown>).has('latent_bias');
}

/** Convert the paper's unpickled checkpoint (read from `file`) to an msae Checkpoint. */
export function decodePaperCheckpoint(file: string, value: Map<string, unknown>): Checkpoint {
  const model = value.get('model') as Map<string, unknown>;
  const tensor = (name: string): TorchTensor => {
    const t = model.get(name);
    if (!isTorchTensor(t)) throw new IoError(file, `model state_dict has no tensor '${name}'`);
    return t;
  };
  const encoder = tensor('encoder');
  if (encoder.shape.length !== 2) throw new IoError(file, `tensor 'encoder' has shape [${encoder.shape.join(', ')}], expected [d_in, n_latents]`);
  const [dIn, dSae] = encoder.shape;
  const source: CheckpointSource = { format: 'paper-pth', path: file, assumed: {}, folded: [], ignored: [] };
  const name = parsePaperFileName(file);
  const arch = architectureOf(file, name, source);
  if (name && (name.nLatents !== dSae || name.nInputs !== dIn)) {
    throw new IoError(file, `file name says ${name.nInputs} -> ${name.nLatents} but tensor 'encoder' is [${dIn}, ${dSae}]`);
  }
  if (name?.normalize) throw new IoError(file, 'the model normalizes every input itself (normalize True in the file name), which msae cannot express');
  if (name?.softCap !== undefined && name.softCap > 0) throw new IoError(file, `latent soft cap ${name.softCap} (tanh capping of the codes) cannot be expressed by msae; only checkpoints with soft cap 0.0 can be read`);

  const W_enc = encoder.toFloat32(file, 'encoder');
  const b_enc = tensor('latent_bias').toFloat32(file, 'latent_bias');
  const b_dec = tensor('pre_bias').toFloat32(file, 'pre_bias');
  expectShape(file, 'latent_bias', tensor('latent_bias').shape, [dSae]);
  expectShape(file, 'pre_bias', tensor('pre_bias').shape, [dIn]);
  let W_dec: Float32Array;
  if (model.has('decoder') && model.get('decoder') !== null) {
    expectShape(file, 'decoder', tensor('decoder').shape, [dSae, dIn]);
    W_dec = tensor('decoder').toFloat32(file, 'decoder');
  } else {
    W_dec = transpose(W_enc, dIn, dSae); // tied: decoder = encoder^T
    source.folded.push('tied weights: W_dec = encoder^T');
  }
  for (const key of model.keys()) if (!['encoder', 'latent_bias', 'pre_bias', 'decoder'].includes(key)) source.ignored.push(`model.${key}`);

  const mean = vectorOrZeros(file, 'mean_center', value.get('mean_center'), dIn, source);
  const scale = scalarOrOne(file, 'scaling_factor', value.get('scaling_factor'), source);
  const targetNorm = value.get('target_norm');
  if (typeof targetNorm === 'number' || isTorchTensor(targetNorm)) {
    source.extra = { target_norm: typeof targetNorm === 'number' ? targetNorm : targetNorm.toNumbers(file, 'target_norm')[0] };
  }
  source.assumed.loss = 'nmse';
  return buildCheckpoint(file, { dIn, dSae, ...arch }, { W_enc, b_enc, W_dec, b_dec }, { mean, scale }, source);
}

function architectureOf(file: string, name: PaperFileName | undefined, source: CheckpointSource): { architecture: Architecture; k?: number; weighting?: Weighting } {
  if (!name) {
    source.assumed.architecture = 'msae';
    source.assumed.k = DEFAULT_K;
    source.assumed.weighting = 'rw';
    return { architecture: 'msae', k: DEFAULT_K, weighting: 'rw' };
  }
  const act = name.activation;
  if (act.startsWith('JumpReLU')) throw new IoError(file, 'activation JumpReLU (per-latent thresholds) cannot be run by msae');
  if (act === 'ReLU') return { architecture: 'relu' };
  if (/abs|ELU1p/.test(act) || !/^(TopK|BatchTopK)(ReLU)?$/.test(act)) throw new IoError(file, `activation '${act}' cannot be run by msae (it runs ReLU, TopKReLU and BatchTopKReLU codes)`);
  if (act.startsWith('BatchTopK')) return { architecture: 'batchtopk', k: name.k };
  if (name.weighting) return { architecture: 'msae', k: name.k, weighting: name.weighting };
  return { architecture: 'topk', k: name.k };
}

function vectorOrZeros(file: string, key: string, v: unknown, dIn: number, source: CheckpointSource): Float32Array {
  if (v === undefined || v === null || v === false || v === 0) {
    source.assumed[key] = 0;
    return new Float32Array(dIn);
  }
  if (!isTorchTensor(v)) throw new IoError(file, `'${key}' must be a tensor of d_in (${dIn}) values, got ${typeof v}`);
  if (v.numel !== dIn) throw new IoError(file, `'${key}' has ${v.numel} values, expected d_in (${dIn})`);
  return v.toFloat32(file, key);
}

function scalarOrOne(file: string, key: string, v: unknown, source: CheckpointSource): number {
  if (v === undefined || v === null) {
    source.assumed[key] = 1;
    return 1;
  }
  if (typeof v === 'number') return v;
  if (isTorchTensor(v) && v.numel === 1) return v.toFloat32(file, key)[0];
  throw new IoError(file, `'${key}' must be a number (the input scale), got ${isTorchTensor(v) ? `a tensor of ${v.numel} values` : typeof v}`);
}
