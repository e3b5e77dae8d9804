import type { EncodeGate } from '../architectures/architecture.js';
import { getArchitecture } from '../architectures/registry.js';
import type { SaeParams } from '../engine.js';
import { blockedMatmulABt, type MatmulABt } from '../matmul-abt.js';
import type { Matrix } from '../matrix.js';
import { type BoundGate, GATES } from './gates/index.js';
import { InferenceInputError } from './inference-errors.js';

/** What inference needs from a checkpoint: its shape and architecture, parameters and (optionally) input normalization. */
export interface SaeInferenceInput {
  /**
   * `architecture` picks the gate from the registry (jumprelu: its thresholds). Without it, a parameter set holding
   * log_threshold is gated as JumpReLU and any other as ReLU: a threshold is never ignored.
   */
  config: { dIn: number; dSae: number; architecture?: string };
  /** W_dec may be absent for an encoder-only model (decode then refuses). */
  params: InferenceParams;
  /** x_n = (x - mean) * scale; absent: inputs are already normalized and decode returns normalized rows. */
  normalization?: InferenceNormalization;
}

/** x_n = (x - mean) * scale (core's Normalization, or any mean array). */
export interface InferenceNormalization {
  mean: ArrayLike<number>;
  scale: number;
}

/** SaeParams where W_dec is optional (an encoder-only model). */
export type InferenceParams = Omit<SaeParams, 'W_dec'> & { W_dec?: Float32Array };

/** An SAE ready for inference in plain TypeScript: the encoder transposed once for the A B^T matmul, the gate bound. */
export interface SaeInference {
  dIn: number;
  dSae: number;
  params: InferenceParams;
  normalization: InferenceNormalization | undefined;
  /** W_enc^T [dSae, dIn] */
  encoderRows: Matrix;
  matmul: MatmulABt;
  /** The gate kind before the per-row TopK. */
  gateKind: EncodeGate;
  /** That gate bound to these parameters (jumprelu: theta). */
  gate: BoundGate;
}

/** Build an SaeInference; heavy products go through `matmul` (default: core's plain-JS blocked A B^T). */
export function createSaeInference(input: SaeInferenceInput, options: { matmul?: MatmulABt } = {}): SaeInference {
  const { dIn, dSae } = input.config;
  const { W_enc, W_dec, b_enc, b_dec } = input.params;
  if (W_enc.length !== dIn * dSae || (W_dec && W_dec.length !== dIn * dSae) || b_enc.length !== dSae || b_dec.length !== dIn) {
    throw new InferenceInputError('SAE parameters', `do not match d_in ${dIn}, d_sae ${dSae}`);
  }
  if (input.normalization && input.normalization.mean.length !== dIn) {
    throw new InferenceInputError('normalization', `mean has ${input.normalization.mean.length} values, expected d_in ${dIn}`);
  }
  const arch = input.config.architecture;
  const gateKind: EncodeGate = arch !== undefined ? getArchitecture(arch, 'SAE config').activation.gate : input.params.log_threshold ? 'jumprelu' : 'relu';
  const encT = new Float32Array(dSae * dIn);
  for (let d = 0; d < dIn; d++) for (let j = 0; j < dSae; j++) encT[j * dIn + d] = W_enc[d * dSae + j]; // W_enc^T
  return {
    dIn,
    dSae,
    params: input.params,
    normalization: input.normalization,
    encoderRows: { data: encT, rows: dSae, cols: dIn },
    matmul: options.matmul ?? blockedMatmulABt,
    gateKind,
    gate: GATES[gateKind].bind(input.params, dSae),
  };
}

/** InferenceInputError unless `x` is a well-formed [rows, d_in] matrix. */
export function checkInferenceWidth(model: SaeInference, x: Matrix, what = 'embeddings'): void {
  if (x.cols !== model.dIn) throw new InferenceInputError(what, `have ${x.cols} dimensions but the SAE has d_in = ${model.dIn}`);
  if (x.data.length !== x.rows * x.cols) throw new InferenceInputError(what, `${x.data.length} values is not ${x.rows}x${x.cols}`);
}
