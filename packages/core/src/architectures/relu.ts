import { ConfigError } from '../errors.js';
import type { ArchitectureDefinition } from './architecture.js';

/** Default L1 weight of the relu architecture. */
export const DEFAULT_RELU_L1 = 0.003;

/** The standard ReLU SAE with an L1 penalty: every positive code is kept, so its own k is d_sae. */
export const relu: ArchitectureDefinition<'relu'> = {
  name: 'relu',
  summary: 'ReLU SAE with an L1 penalty: every positive code',
  labels: { relu: 'uw' },
  defaults: { lr: 5e-5, demoLr: 5e-5, batchSize: 4096, k: undefined, l1: DEFAULT_RELU_L1, weighting: 'uw' },
  options: { k: false, weighting: false, l1: true, nesting: false, auxK: false, groups: false },
  activation: { train: 'relu', eval: 'row-topk', gate: 'relu' },
  ownK: (config) => config.dSae,
  resolve: (opts, dSae) => ({ k: dSae, nesting: [dSae], weights: [1], weighting: 'uw', l1: opts.l1 ?? DEFAULT_RELU_L1 }),
  validate(c, context) {
    if (c.nesting.length !== 1) throw new ConfigError(context, 'relu has exactly one nesting level');
    if (c.nesting[0] !== c.dSae) throw new ConfigError(context, 'relu nesting must be [d_sae]');
  },
  saeLens: { architecture: 'standard', activationFn: 'relu', hasK: false, reads: [{ architecture: 'standard', activationFn: 'relu' }] },
};
