import type { SaeParams } from '../../engine.js';


/**
 * Gates pre-activations in place: `pre` is [rows, cols] where column c is latent `latents[c]` (every latent,
 * cols = d_sae, when `latents` is absent).
 */
export type BoundGate = (pre: Float32Array, rows: number, latents?: ArrayLike<number>) => void;

/** One inference gate (see EncodeGate): binds to a parameter set once (reading its extra tensors). */
export interface GateUnit {
  name: string;
  /** The gate for these parameters; InferenceInputError when a tensor it needs is missing. */
  bind(params: Pick<SaeParams, 'log_threshold'>, dSae: number): BoundGate;
}
