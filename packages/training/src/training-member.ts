import type { Normalization, SaeConfig, SaeEngine } from '@msae/core';
import type { TrainerState } from './trainer-state.js';

/** One SAE being trained: its loaded engine and its state. A sweep trains several in lockstep on the same batches. */
export interface TrainingMember {
  name: string;
  config: SaeConfig;
  normalization: Normalization;
  engine: SaeEngine;
  state: TrainerState;
}
