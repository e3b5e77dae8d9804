import type { ArchitectureDefinition } from './architecture.js';
import { DEFAULT_K } from './architecture.js';
import { resolveOneKLevel, validateOneKLevel } from './one-k-level.js';

/** BatchTopK SAE (Bussmann et al. 2024): a batch of B rows keeps its k·B largest codes; evaluated per row at k. */
export const batchtopk: ArchitectureDefinition<'batchtopk'> = {
  name: 'batchtopk',
  summary: 'BatchTopK SAE: a batch of B rows keeps its k*B largest codes (per-row TopK k at evaluation)',
  labels: { batchtopk: 'uw' },
  defaults: { lr: 5e-4, demoLr: 5e-4, batchSize: 4096, k: DEFAULT_K, l1: 0, weighting: 'uw' },
  options: { k: true, weighting: false, l1: false, nesting: false, auxK: true, groups: false },
  activation: { train: 'batch-topk', eval: 'row-topk', gate: 'relu' },
  ownK: (config) => config.k,
  resolve: resolveOneKLevel,
  validate: validateOneKLevel,
  // written as a TopK SAE at k (how msae evaluates it); SAELens' training cfg `architecture: "batchtopk"` reads back
  saeLens: { architecture: 'topk', activationFn: 'topk', hasK: true, reads: [{ architecture: 'batchtopk' }] },
};
