import type * as tf from '@tensorflow/tfjs-core';

/** SAE parameters as tfjs tensors (SAELens layout). */
export interface TensorParams {
  /** [dIn, dSae] */
  W_enc: tf.Tensor2D;
  /** [dSae] */
  b_enc: tf.Tensor1D;
  /** [dSae, dIn] */
  W_dec: tf.Tensor2D;
  /** [dIn] */
  b_dec: tf.Tensor1D;
  /** [dSae] jumprelu only: theta = exp(log_threshold). */
  log_threshold?: tf.Tensor1D;
}

export interface ForwardTensors {
  /** Codes of the largest level [rows, dSae]. */
  codes: tf.Tensor2D;
  /** Reconstruction of each level [rows, dIn]. */
  recons: tf.Tensor2D[];
  /** Reconstruction loss of each level [levels]. */
  levelLosses: tf.Tensor1D;
  /** Total loss (scalar). */
  loss: tf.Scalar;
  /** AuxK loss L_aux (configs with auxK). */
  auxLoss?: tf.Scalar;
}

export interface GradientTensors {
  levelLosses: tf.Tensor1D;
  loss: tf.Scalar;
  grads: TensorParams;
  /** AuxK (configs with auxK): L_aux, the latents that fired at level 0, the number of dead latents. */
  auxLoss?: tf.Scalar;
  fired?: Uint8Array;
  dead?: number;
}
