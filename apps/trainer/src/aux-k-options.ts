import { DEFAULT_DEAD_AFTER, MAX_DEAD_AFTER, type ConfigOptions } from '@msae/core';
import type { TrainOptions } from './train-options.js';

/**
 * The AuxK fields of resolveConfig from the trainer options (on with --auxk or any of --aux-k, --aux-weight,
 * --dead-after; --aux-weight 0 turns it off). Default --dead-after: one epoch of training rows (a latent is dead
 * when it has not fired on any sample of the last epoch), capped at 2^24; core's default when the size is unknown.
 */
export function auxKConfigOptions(options: TrainOptions, trainRows: number | undefined): Pick<ConfigOptions, 'auxK' | 'auxWeight' | 'deadAfter'> {
  const on = options.auxk === true || options.auxK !== undefined || options.auxWeight !== undefined || options.deadAfter !== undefined;
  if (!on || options.auxWeight === 0) return {};
  const epoch = trainRows !== undefined && trainRows > 0 ? Math.min(trainRows, MAX_DEAD_AFTER) : DEFAULT_DEAD_AFTER;
  return { auxK: options.auxK, auxWeight: options.auxWeight, deadAfter: options.deadAfter ?? epoch };
}
