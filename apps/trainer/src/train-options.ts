import type { TrainingOptions } from '@msae/training';

/**
 * Everything `msae-train` needs, after parsing and validation: @msae/training's option schema (architecture, k,
 * lr, ...; undefined = its default) plus the Node side (files, engine, output).
 */
export interface TrainOptions extends TrainingOptions {
  /** Training embeddings file; undefined trains on the built-in synthetic demo data. */
  data?: string;
  /** Validation embeddings file; undefined holds out 10% of --data. */
  val?: string;
  out?: string;
  backend: string;
  resume?: string;
  json: boolean;
  /** --streaming: read --data in memory (off), as a bounded-memory stream (on) or by size (auto, default). */
  streaming?: 'auto' | 'on' | 'off';
  /** --shuffle-buffer: MiB of rows shuffled together when streaming (default 128; two buffers are held). */
  shuffleBuffer?: number;
}

/** Fraction of --data held out for validation when --val is not given. */
export const HOLDOUT_FRACTION = 0.1;

/** The command-line flag of a training option key (`batchSize` -> `--batch-size`). */
export const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
