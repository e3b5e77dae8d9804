import type { OptimizerConfig, SaeConfig } from './config.js';

/** SAE parameters in SAELens' layout, row-major Float32Arrays. */
export interface SaeParams {
  /** [dIn, dSae] */
  W_enc: Float32Array;
  /** [dSae] */
  b_enc: Float32Array;
  /** [dSae, dIn] */
  W_dec: Float32Array;
  /** [dIn] */
  b_dec: Float32Array;
  /** [dSae] JumpReLU only: theta_j = exp(log_threshold_j) (SAELens JumpReLU's log_threshold); absent otherwise. */
  log_threshold?: Float32Array;
}

/** AdamW moments (same shapes as the parameters) and the number of steps taken. */
export interface AdamState {
  m: SaeParams;
  v: SaeParams;
  step: number;
  /**
   * AuxK training state that travels with the moments (saved in optimizer_state.safetensors for exact resume):
   * training samples since each latent last fired at level 0, capped at deadAfter [dSae]. Absent = zeros.
   */
  samplesSinceFired?: Float32Array;
}

/** Everything an engine needs to start training or inference. */
export interface EngineState {
  config: SaeConfig;
  params: SaeParams;
  optimizer?: OptimizerConfig;
  /** Optimizer moments to resume from; zeros when absent. */
  adam?: AdamState;
}

/** Output of a forward pass on a batch of (normalized) inputs. */
export interface ForwardOutput {
  /** Codes of the largest level, dense [rows, dSae] (msae: TopK_{dSae}; topk: TopK_k; batchtopk: batch top k*rows; relu: ReLU). */
  codes: Float32Array;
  /** Reconstruction of every nesting level, each dense [rows, dIn]. */
  recons: Float32Array[];
  /** Reconstruction loss of every level. */
  levelLosses: number[];
  /** Total loss: sum_i w_i L_i / sum_i w_i (+ l1 * mean_b(sum|z| / ||x||) for relu) (+ auxWeight * auxLoss with AuxK). */
  loss: number;
  /** AuxK loss L_aux (unweighted; see aux-k.ts) when the config has AuxK on. */
  auxLoss?: number;
}

export interface StepResult {
  loss: number;
  levelLosses: number[];
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** AuxK loss L_aux (unweighted) when the config has AuxK on. */
  auxLoss?: number;
  /** Number of dead latents this step used (AuxK on). */
  deadLatents?: number;
}

/**
 * The contract every backend implements. All arrays are row-major Float32Array; inputs are in the
 * normalized space (the trainer normalizes). Methods are async so GPU/worker engines fit.
 *
 * Training step semantics (identical in every engine, see `reference-engine.ts`):
 *   1. loss and gradients at the current parameters;
 *   2. rescale decoder rows to unit norm, multiplying W_enc columns and b_enc by the old norms;
 *   3. remove from each decoder-row gradient its component along the (new, unit) row;
 *   4. clip the global gradient norm to optimizer.clipNorm;
 *   5. AdamW update with learning rate `lr`;
 *   6. (AuxK on) update adam.samplesSinceFired from the latents that fired at level 0 (see aux-k.ts).
 */
export interface SaeEngine {
  readonly name: string;
  /** Load config, parameters and (optionally) optimizer state. Must be called first. */
  load(state: EngineState): Promise<void>;
  /** Forward pass: codes, every level's reconstruction and the loss. */
  forward(x: Float32Array, rows: number): Promise<ForwardOutput>;
  /** Loss and raw gradients of the loss at the current parameters (step 1 only; no update; AuxK counts unchanged). */
  gradients(x: Float32Array, rows: number): Promise<{ loss: number; levelLosses: number[]; grads: SaeParams }>;
  /** One full training step (steps 1-5 above). */
  trainStep(x: Float32Array, rows: number, lr: number): Promise<StepResult>;
  /**
   * Encode for evaluation: dense [rows, dSae] codes keeping each row's top-k ReLU'd pre-activations
   * (k = undefined keeps every positive code). Per-row TopK for every architecture.
   */
  encode(x: Float32Array, rows: number, k?: number): Promise<Float32Array>;
  /** Decode dense codes [rows, dSae] -> [rows, dIn]: z W_dec + b_dec. */
  decode(z: Float32Array, rows: number): Promise<Float32Array>;
  /** Current parameters and optimizer state (copies). */
  exportState(): Promise<{ params: SaeParams; adam: AdamState }>;
  /** Free resources (tensors, sessions, workers). */
  dispose(): Promise<void>;
  /**
   * Optional profiling extension (benchmarks): seconds spent in each phase of trainStep, summed since the last
   * reset. The cpu engine always times its phases; webgpu when created with `profile: true` (zeros otherwise).
   */
  phaseTimings?(): PhaseTimings;
  /** Zero the phase timings (with phaseTimings). */
  resetPhaseTimings?(): void;
  /** Threads the engine computes with, where it has a thread pool (the cpu engine). */
  readonly threads?: number;
}

/** Seconds per training phase (SaeEngine's optional profiling extension). */
export interface PhaseTimings {
  encode: number;
  topk: number;
  decode: number;
  backward: number;
  optimizer: number;
}

/** Constructs an engine; engines are registered by the application layer. */
export type EngineFactory = () => Promise<SaeEngine>;
