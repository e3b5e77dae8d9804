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
}

/** The demo run's defaults: small batches so the built-in data converges in about a minute. */
export const DEMO_TRAINING_DEFAULTS = { epochs: 5, batchSize: 256 } as const; // demo lr: the registry's defaults.demoLr

/** Default epochs on user data. */
export const DEFAULT_EPOCHS = 30;

/** Fraction of --data held out for validation when --val is not given. */
export const HOLDOUT_FRACTION = 0.1;
