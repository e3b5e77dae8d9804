import type { Matrix, Normalization, SaeConfig, SaeParams } from '@msae/core';
import type { BackendRequest } from './engine-choice.js';
import type { TrainEvent, TrainOutcome, TrainSettings } from './train-session.js';

/** Messages to the playground worker. */
export type WorkerRequest =
  | { id: number; type: 'train'; backend: BackendRequest; base: string; train: Matrix; val: Matrix; settings: TrainSettings }
  | { id: number; type: 'stop' }
  | {
      id: number;
      type: 'encode';
      backend: BackendRequest;
      base: string;
      config: SaeConfig;
      params: SaeParams;
      normalization: Normalization;
      x: Matrix;
      /** Codes kept per row. */
      k: number;
    };

/** Sparse codes: for each row its k (latent, value) pairs, best first. */
export interface SparseCodes {
  rows: number;
  k: number;
  /** [rows * k] latent ids (-1 when a row has fewer positive codes). */
  index: Int32Array;
  /** [rows * k] activations. */
  value: Float32Array;
}

/** Messages from the playground worker. */
export type WorkerResponse =
  | { id: number; type: 'backend'; backend: string; reason: string }
  | { id: number; type: 'event'; event: TrainEvent }
  | { id: number; type: 'trained'; outcome: TrainOutcome }
  | { id: number; type: 'encoded'; codes: SparseCodes }
  | { id: number; type: 'error'; message: string };
