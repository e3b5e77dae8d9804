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
}

/** The demo run's defaults: small batches so the built-in data converges in about a minute. */
export const DEMO_TRAINING_DEFAULTS = { epochs: 5, batchSize: 256, lr: 5e-4 } as const;

/** Default epochs on user data. */
export const DEFAULT_EPOCHS = 30;

/** Fraction of --data held out for validation when --val is not given. */
export const HOLDOUT_FRACTION = 0.1;
