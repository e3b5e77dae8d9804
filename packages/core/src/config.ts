import type { Architecture } from './architectures/architecture-name.js';

/** Architectures the toolkit trains: the names registered in architectures/registry.ts. */
export type { Architecture };
/** Matryoshka level weighting: `uw` all 1, `rw` n, n-1, ..., 1 from the smallest k. */
export type Weighting = 'uw' | 'rw';
/** Reconstruction loss: `nmse` = mean_b( mean_d (x^-x)^2 / mean_d x^2 ), `mse` = mean_{b,d} (x^-x)^2. */
export type ReconLoss = 'nmse' | 'mse';

/** A fully resolved SAE configuration. Every engine receives exactly this object. */
export interface SaeConfig {
  /** Input (CLIP embedding) dimension. */
  dIn: number;
  /** Number of latents (expansion x dIn). */
  dSae: number;
  architecture: Architecture;
  /** TopK k (topk), per-sample k of BatchTopK (batchtopk), or k0 of the nesting list (msae). Ignored by relu. */
  k: number;
  /**
   * The TopK budgets trained at once, ascending. msae: k0, 2k0, ... <= dSae, then dSae.
   * topk/batchtopk: [k]. relu: [dSae] (all positive codes).
   */
  nesting: number[];
  /** Loss weight of each nesting level (same length as nesting). */
  weights: number[];
  weighting: Weighting;
  loss: ReconLoss;
  /** L1 penalty weight (relu only; 0 otherwise). */
  l1: number;
  /** AuxK (see aux-k.ts): dead latents reconstructing the level-0 residual per row; absent or 0 = off. topk, batchtopk, msae. */
  auxK?: number;
  /** Weight of the AuxK loss in the total loss (default 1/32 when auxK is on). */
  auxWeight?: number;
  /** A latent is dead after this many training samples without firing at level 0 (1 ..= 2^24). */
  deadAfter?: number;
  /** JumpReLU (see architectures/jumprelu.ts): L0 coefficient of l0 * mean_b sum_j H(pre_bj - theta_j). */
  l0?: number;
  /** JumpReLU: bandwidth eps of the straight-through rectangle kernel K(u) = 1{|u| < eps/2} / eps. */
  bandwidth?: number;
  /** JumpReLU: theta of every latent at init (log_threshold = log initThreshold). */
  initThreshold?: number;
}

/** Optimizer hyper-parameters (AdamW). */
export interface OptimizerConfig {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Global gradient-norm clip. */
  clipNorm: number;
}

export const DEFAULT_OPTIMIZER: OptimizerConfig = {
  beta1: 0.9,
  beta2: 0.999,
  eps: 6.25e-10,
  weightDecay: 0,
  clipNorm: 1.0,
};
