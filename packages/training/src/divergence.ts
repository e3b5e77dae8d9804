import { TrainingDivergedError } from './errors.js';

/** Throws TrainingDivergedError when a step's loss is not finite (NaN or +-Infinity). */
export function checkLoss(loss: number, step: number, subject = ''): void {
  if (!Number.isFinite(loss)) throw new TrainingDivergedError(subject, loss, step);
}
