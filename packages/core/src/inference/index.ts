/**
 * The one inference path of msae in plain TypeScript (the engines' `encode` is held equal to it by the
 * conformance suite): pre = (x_n - b_dec) W_enc + b_enc through a MatmulABt, the architecture's gate from the
 * registry (ReLU, or JumpReLU's per-latent thresholds), per-row TopK (progressive-k truncation), decode.
 */
export { createSaeInference, checkInferenceWidth, type InferenceNormalization, type InferenceParams, type SaeInference, type SaeInferenceInput } from './sae-inference.js';
export { preActivations, gatedActivations, encodeCodes, type EncodeCodesOptions, type RowRange } from './encode.js';
export { decodeSparse, decodeCodes, type CsrCodes } from './decode.js';
export { keepTopK } from './row-topk.js';
export { InferenceInputError } from './inference-errors.js';
export type { BoundGate } from './gates/index.js';
