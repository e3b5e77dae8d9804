/**
 * @msae/core/internal: helpers the sibling msae packages (engines, io, training, metrics) share with core.
 * Not a public API: no stability promise, not documented.
 */
export { DEFAULT_JUMPRELU_BANDWIDTH, DEFAULT_JUMPRELU_INIT_THRESHOLD, DEFAULT_JUMPRELU_L0 } from './architectures/jumprelu.js';
export { DEFAULT_GROUP_FRACTIONS, groupPrefixEnds } from './architectures/prefix-groups.js';
export { extraTensorFileNames, extraTensorsOf, type NamedTensors, readExtraTensors, writeExtraTensors } from './architectures/extra-tensors.js';
export { architectureLabels, architecturesWithOption, isArchitecture, registerArchitecture } from './architectures/registry.js';
export { DEFAULT_RELU_L1 } from './architectures/relu.js';
export { logThresholdOfSaeLens, SAELENS_THRESHOLD_TENSOR, saeLensThreshold } from './architectures/sae-lens.js';
export { auxKEnabled, auxSelection, type AuxSelection, deadLatentMask, DEFAULT_DEAD_AFTER, initialSamplesSinceFired, MAX_DEAD_AFTER, updateSamplesSinceFired } from './aux-k.js';
export { CHECKPOINT_FORMAT_VERSION, checkpointCfg, decodeCheckpointCfg, decodeWeights, SINCE_FIRED_TENSOR, TRAINER_STATE_FILE } from './checkpoint.js';
export { CONFIG_CFG_KEYS, type ConfigCfgKey, cfgKeyOf, configFromCfg, configToCfg } from './config-cfg-keys.js';
export { DEFAULT_EXPANSION } from './config-resolution.js';
export { DEFAULT_OPTIMIZER } from './config.js';
export { DEMO_DEFAULTS } from './demo-data.js';
export { checkEngineRows } from './engine-input.js';
export type { EngineFactory } from './engine.js';
export { gatedActivations, preActivations } from './inference/encode.js';
export { keepTopK } from './inference/row-topk.js';
export { checkInferenceWidth } from './inference/sae-inference.js';
export { INIT_DECODER_NORM } from './init.js';
export { denormalizeInPlace, identityNormalization, normalizeInPlace } from './normalization.js';
export { adamwUpdate, applyTrainingUpdate, CLIP_EPS, clipGradNorm, cloneAdamState, globalGradNorm, projectDecoderGradient, renormalizeDecoder, zeroAdamState } from './optimizer.js';
export { hasThreshold, paramNamesOf, THRESHOLD_PARAM } from './params.js';
export { referenceFired, referenceForward, referenceGradients } from './reference-engine.js';
export type { ReferenceAux, ReferenceForward } from './reference-forward.js';
export { decodeTensorBytes, parseSafetensorsHeader, safetensorsHeaderLength } from './safetensors.js';
