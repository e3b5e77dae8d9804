import type { Architecture, ReconLoss, Weighting } from '@msae/core';

/** Everything `msae-train` needs, after parsing and validation. Undefined = per-architecture default. */
export interface TrainOptions {
  /** Training embeddings file; undefined trains on the built-in synthetic demo data. */
  data?: string;
  /** Validation embeddings file; undefined holds out 10% of --data. */
  val?: string;
  architecture: Architecture;
  weighting: Weighting;
  k?: number;
  expansion?: number;
  latents?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  l1?: number;
  loss: ReconLoss;
  seed: number;
  out?: string;
  backend: string;
  resume?: string;
  json: boolean;
  /** --max-steps: stop after this many steps in all (the LR schedule ends there too). */
  maxSteps?: number;
  /** --streaming: read --data in memory (off), as a bounded-memory stream (on) or by size (auto, default). */
  streaming?: 'auto' | 'on' | 'off';
  /** --shuffle-buffer: MiB of rows shuffled together when streaming (default 128; two buffers are held). */
  shuffleBuffer?: number;
  /** --data-seed: seed of the shuffle and the hold-out (default --seed). */
  dataSeed?: number;
  /** --auxk: AuxK loss with its defaults (see aux-k-options.ts); --aux-k, --aux-weight, --dead-after also turn it on. */
  auxk?: boolean;
  /** --aux-k: dead latents per row reconstructing the residual (default d_in / 2). */
  auxK?: number;
  /** --aux-weight: weight of the AuxK loss (default 1/32; 0 = off). */
  auxWeight?: number;
  /** --groups: matryoshka-batchtopk latent groups, counts summing to d_sae or fractions summing to 1 (default 1/16,1/16,1/8,1/4,1/2). */
  groups?: number[];
  /** --group-weights: loss weight of each group's prefix (default 1 each). */
  groupWeights?: number[];
  /** --l0, --bandwidth, --init-threshold: jumprelu's L0 coefficient, STE kernel bandwidth, initial threshold (defaults 0.001 each). */
  l0?: number;
  bandwidth?: number;
  initThreshold?: number;
  /** --dead-after: samples without firing at the own k before a latent is dead (default one epoch of training rows). */
  deadAfter?: number;
}

/** The demo run's defaults: small batches so the built-in data converges in about a minute. */
export const DEMO_TRAINING_DEFAULTS = { epochs: 5, batchSize: 256 } as const; // demo lr: the registry's defaults.demoLr

/** Default epochs on user data. */
export const DEFAULT_EPOCHS = 30;

/** Fraction of --data held out for validation when --val is not given. */
export const HOLDOUT_FRACTION = 0.1;
