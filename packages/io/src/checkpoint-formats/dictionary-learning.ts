/**
 * dictionary_learning (saprmarks/dictionary_learning) checkpoints: a directory with ae.pt (torch.save of the
 * dictionary's state_dict) and config.json ({"trainer": {dict_class, activation_dim, dict_size, k, ...},
 * "buffer": {...}}). State dicts, as its classes define them:
 *   AutoEncoderTopK, BatchTopKSAE  encoder.weight [n, d_in], encoder.bias [n], decoder.weight [d_in, n], b_dec [d_in], k, threshold
 *   MatryoshkaBatchTopKSAE         W_enc [d_in, n], b_enc [n], W_dec [n, d_in], b_dec [d_in], k, threshold, group_sizes
 *   AutoEncoder (ReLU)             encoder.weight, encoder.bias, decoder.weight, bias [d_in]
 * Every one encodes z = act((x - b_dec) W_enc + b_enc) and decodes z W_dec + b_dec, as msae does
 * (nn.Linear's weight is the transpose: W_enc = encoder.weight^T, W_dec = decoder.weight^T).
 */
import { type Architecture, type Checkpoint, getArchitecture, type SaeParams } from '@msae/core';
import { IoError } from '../io-error.js';
import { buildCheckpoint, expectShape, transpose, type CheckpointSource } from './foreign-checkpoint.js';
import { isTorchTensor, type TorchTensor } from './torch-tensor.js';

const DICT_CLASSES: Record<string, Architecture> = {
  AutoEncoderTopK: 'topk',
  BatchTopKSAE: 'batchtopk',
  MatryoshkaBatchTopKSAE: 'batchtopk',
  AutoEncoder: 'relu',
};

/** Does this unpickled object look like a dictionary_learning state_dict? */
export function isDictionaryLearningStateDict(value: unknown): value is Map<string, unknown> {
  return value instanceof Map && ((value.has('encoder.weight') && value.has('decoder.weight')) || (value.has('W_enc') && value.has('W_dec')));
}

/** Convert ae.pt's state_dict (+ config.json's object, when present) to an msae Checkpoint. */
export function decodeDictionaryLearningCheckpoint(path: string, aePath: string, state: Map<string, unknown>, config: Record<string, unknown> | undefined, configPath: string): Checkpoint {
  const trainer = config && typeof config.trainer === 'object' && config.trainer !== null ? (config.trainer as Record<string, unknown>) : {};
  const source: CheckpointSource = { format: 'dictionary-learning', path, assumed: {}, folded: [], ignored: [] };
  const dictClass = typeof trainer.dict_class === 'string' ? trainer.dict_class : inferDictClass(state, source);
  const architecture = DICT_CLASSES[dictClass];
  if (!architecture) throw new IoError(config ? configPath : aePath, `dict_class '${dictClass}' cannot be run by msae (it reads ${Object.keys(DICT_CLASSES).join(', ')})`);

  const tensor = (name: string): TorchTensor => {
    const t = state.get(name);
    if (!isTorchTensor(t)) throw new IoError(aePath, `state_dict has no tensor '${name}' (expected for ${dictClass})`);
    return t;
  };
  const linear = state.has('encoder.weight');
  const encShape = tensor(linear ? 'encoder.weight' : 'W_enc').shape;
  if (encShape.length !== 2) throw new IoError(aePath, `tensor '${linear ? 'encoder.weight' : 'W_enc'}' has shape [${encShape.join(', ')}], expected a matrix`);
  const [dSae, dIn] = linear ? encShape : [encShape[1], encShape[0]];
  let params: SaeParams;
  if (linear) {
    expectShape(aePath, 'decoder.weight', tensor('decoder.weight').shape, [dIn, dSae]);
    const biasName = state.has('b_dec') ? 'b_dec' : 'bias';
    expectShape(aePath, 'encoder.bias', tensor('encoder.bias').shape, [dSae]);
    expectShape(aePath, biasName, tensor(biasName).shape, [dIn]);
    params = {
      W_enc: transpose(tensor('encoder.weight').toFloat32(aePath, 'encoder.weight'), dSae, dIn), // encoder.weight^T
      b_enc: tensor('encoder.bias').toFloat32(aePath, 'encoder.bias'),
      W_dec: transpose(tensor('decoder.weight').toFloat32(aePath, 'decoder.weight'), dIn, dSae), // decoder.weight^T
      b_dec: tensor(biasName).toFloat32(aePath, biasName),
    };
  } else {
    expectShape(aePath, 'W_dec', tensor('W_dec').shape, [dSae, dIn]);
    expectShape(aePath, 'b_enc', tensor('b_enc').shape, [dSae]);
    expectShape(aePath, 'b_dec', tensor('b_dec').shape, [dIn]);
    params = {
      W_enc: tensor('W_enc').toFloat32(aePath, 'W_enc'),
      b_enc: tensor('b_enc').toFloat32(aePath, 'b_enc'),
      W_dec: tensor('W_dec').toFloat32(aePath, 'W_dec'),
      b_dec: tensor('b_dec').toFloat32(aePath, 'b_dec'),
    };
  }
  if (typeof trainer.activation_dim === 'number' && trainer.activation_dim !== dIn) throw new IoError(configPath, `activation_dim ${trainer.activation_dim} disagrees with ae.pt (d_in ${dIn})`);
  if (typeof trainer.dict_size === 'number' && trainer.dict_size !== dSae) throw new IoError(configPath, `dict_size ${trainer.dict_size} disagrees with ae.pt (${dSae} latents)`);

  let k: number | undefined;
  if (getArchitecture(architecture).options.k) {
    const kt = state.get('k');
    k = isTorchTensor(kt) ? kt.toNumbers(aePath, 'k')[0] : typeof trainer.k === 'number' ? trainer.k : undefined;
    if (k === undefined) throw new IoError(aePath, `${dictClass} needs k (a 'k' buffer in ae.pt or trainer.k in config.json)`);
  }
  const threshold = state.get('threshold');
  if (isTorchTensor(threshold)) {
    if (threshold.numel !== 1) throw new IoError(aePath, `per-latent thresholds (JumpReLU) cannot be run by msae`);
    source.extra = { threshold: threshold.toFloat32(aePath, 'threshold')[0] };
  }
  for (const key of state.keys()) {
    if (!['encoder.weight', 'encoder.bias', 'decoder.weight', 'b_dec', 'bias', 'W_enc', 'b_enc', 'W_dec', 'k', 'threshold'].includes(key)) source.ignored.push(`state_dict.${key}`);
  }
  source.assumed.loss = 'nmse';
  source.assumed.normalization = 'identity (mean 0, scale 1)';
  if (!config) source.assumed.dict_class = dictClass;
  return buildCheckpoint(aePath, { dIn, dSae, architecture, k }, params, { mean: new Float32Array(dIn), scale: 1 }, source);
}

/** Without config.json: group_sizes -> Matryoshka BatchTopK, a k buffer -> TopK, else the ReLU AutoEncoder. */
function inferDictClass(state: Map<string, unknown>, source: CheckpointSource): string {
  if (state.has('group_sizes')) return 'MatryoshkaBatchTopKSAE';
  if (state.has('k')) return 'AutoEncoderTopK';
  if (state.has('bias') && !state.has('threshold')) return 'AutoEncoder';
  source.assumed.dict_class = 'unknown';
  return 'unknown';
}
