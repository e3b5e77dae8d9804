import type { CheckpointEvery } from '@msae/training';
import { InvalidArgumentError } from 'commander';

/** Periodic checkpoints by default: every 10 minutes of training (a killed run loses at most that). */
export const DEFAULT_SAVE_EVERY = '10m';

/**
 * Parse --save-every: `N` (or `Nsteps`) steps, `Nm` / `Nmin` minutes, `Nh` hours, or `off`.
 * Returns undefined for `off`.
 */
export function parseSaveEvery(text: string): CheckpointEvery | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === '0') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(steps?|m|min|minutes?|h|hours?)?$/.exec(t);
  const value = m ? Number(m[1]) : Number.NaN;
  if (!m || !(value > 0)) throw new InvalidArgumentError(`expected N steps, Nm minutes, Nh hours or off, got '${text}'`);
  const unit = m[2] ?? 'steps';
  if (unit.startsWith('step')) {
    if (!Number.isInteger(value)) throw new InvalidArgumentError(`steps must be a whole number, got '${text}'`);
    return { steps: value };
  }
  return { minutes: unit.startsWith('h') ? value * 60 : value };
}
