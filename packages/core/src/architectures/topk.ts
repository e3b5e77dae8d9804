import type { ArchitectureDefinition } from './architecture.js';
import { DEFAULT_K } from './architecture.js';
import { resolveOneKLevel, validateOneKLevel } from './one-k-level.js';

/** TopK SAE (Gao et al. 2024): each row keeps its k largest ReLU codes. */
export const topk: ArchitectureDefinition<'topk'> = {
  name: 'topk',
  summary: 'TopK SAE: each row keeps its k largest codes',
  labels: { topk: 'uw' },
  defaults: { lr: 5e-4, demoLr: 5e-4, batchSize: 4096, k: DEFAULT_K, l1: 0, weighting: 'uw' },
  options: { k: true, weighting: false, l1: false, nesting: false, auxK: true, groups: false },
  activation: { train: 'row-topk', eval: 'row-topk', gate: 'relu' },
  ownK: (config) => config.k,
  resolve: resolveOneKLevel,
  validate: validateOneKLevel,
  // v6 `architecture: "topk"`; pre-v6 `architecture: "standard"` with `activation_fn_str: "topk"`
  saeLens: {
    architecture: 'topk',
    activationFn: 'topk',
    hasK: true,
    reads: [{ architecture: 'topk' }, { architecture: 'standard', activationFn: 'topk' }],
  },
};
