import { learningRateAt } from '@msae/core';
import type { TrainerState } from './trainer-state.js';

/** Steps the LR schedule spans: every epoch, or maxSteps when that is fewer (T = min(epochs * stepsPerEpoch, maxSteps)). */
export function scheduleSteps(state: Pick<TrainerState, 'epochs' | 'maxSteps'>, stepsPerEpoch: number): number {
  const all = stepsPerEpoch * state.epochs;
  return state.maxSteps != null ? Math.min(all, state.maxSteps) : all;
}

/** Steps in one epoch of `rows` rows (the last batch may be short): ceil(rows / batchSize). */
export function stepsPerEpochOf(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize);
}

/** The learning rate of the step a state is about to take (core's constant-then-linear-decay schedule). */
export function learningRateOf(state: Pick<TrainerState, 'globalStep' | 'lr'>, totalSteps: number): number {
  return learningRateAt(state.globalStep, totalSteps, state.lr);
}
