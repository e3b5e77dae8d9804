import type { ArchitectureDefinition } from './architecture.js';
import { DEFAULT_K } from './architecture.js';
import { resolveKOption } from './k-option.js';
import { nestingList } from '../nesting.js';
import { levelWeights } from '../weighting.js';

/** The paper's Matryoshka SAE: nested TopK levels k0, 2k0, ..., d_sae trained at once, levels weighted uw or rw. */
export const msae: ArchitectureDefinition<'msae'> = {
  name: 'msae',
  summary: 'Matryoshka SAE: nested TopK levels k0, 2k0, ..., d_sae in one loss (uw: equal weights, rw: n..1)',
  labels: { 'msae-rw': 'rw', 'msae-uw': 'uw' },
  defaults: { lr: 1e-4, demoLr: 5e-4, batchSize: 4096, k: DEFAULT_K, l1: 0, weighting: 'rw' },
  options: { k: true, weighting: true, l1: false, nesting: true, auxK: true, groups: false },
  activation: { train: 'nested-row-topk', eval: 'row-topk', gate: 'relu' },
  // the smallest level, k0
  ownK: (config) => config.nesting[0],
  resolve(opts, dSae) {
    const k = resolveKOption(opts.k, dSae);
    const weighting = opts.weighting ?? 'rw';
    const nesting = opts.nesting ? opts.nesting.slice() : nestingList(k, dSae);
    return { k: nesting[0], nesting, weights: levelWeights(nesting.length, weighting), weighting, l1: 0 };
  },
  // any ascending nesting list ending at or below d_sae (checked for every architecture)
  validate: () => {},
  // SAELens has no nested-TopK SAE: at inference an MSAE is a TopK SAE at k0 (any larger k also works).
  saeLens: { architecture: 'topk', activationFn: 'topk', hasK: true, reads: [] },
};
