import { ArgumentError } from './errors.js';
/**
 * Learning rate at a 0-based `step` of `totalSteps` (steps or epochs): constant, then a linear decay that
 * reaches 0 at totalSteps over the last decayFraction of them:
 *   D = max(1, round(decayFraction * T));  lr(s) = baseLr * min(1, (T - s) / D)   (0 for s >= T).
 * decayFraction 0 gives a constant rate.
 */
export function learningRateAt(step: number, totalSteps: number, baseLr: number, decayFraction = 0.2): number {
  if (!(totalSteps >= 1)) throw new ArgumentError(`schedule`, `totalSteps must be >= 1, got ${totalSteps}`);
  if (!(decayFraction >= 0 && decayFraction <= 1)) throw new ArgumentError(`schedule`, `decayFraction must be in [0, 1], got ${decayFraction}`);
  if (step < 0) throw new ArgumentError(`schedule`, `step must be >= 0, got ${step}`);
  if (decayFraction === 0) return baseLr;
  if (step >= totalSteps) return 0;
  const decaySteps = Math.max(1, Math.round(decayFraction * totalSteps)); // D
  return baseLr * Math.min(1, (totalSteps - step) / decaySteps); // baseLr * min(1, (T - s) / D)
}
