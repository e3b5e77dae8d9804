import { ConfigError } from '../errors.js';
import type { ArchitectureDefinition } from './architecture.js';
import { DEFAULT_K } from './architecture.js';
import { resolveKOption } from './k-option.js';
import { DEFAULT_GROUP_FRACTIONS, groupPrefixEnds } from './prefix-groups.js';

/**
 * Prefix Matryoshka SAE (Bussmann et al. 2025; SAELens `matryoshka_batchtopk`, dictionary_learning
 * MatryoshkaBatchTopKSAE): BatchTopK codes, latents in fixed groups by index; level g reconstructs from the
 * latents of groups 1..g (index < nesting[g], the prefix ends); loss = sum_g w_g L_g / sum_g w_g.
 * Contrast with msae, whose levels are nested TopK budgets by rank.
 */
export const matryoshkaBatchtopk: ArchitectureDefinition<'matryoshka-batchtopk'> = {
  name: 'matryoshka-batchtopk',
  summary: 'prefix Matryoshka SAE: BatchTopK codes, fixed latent groups; loss over the prefixes of groups 1..g',
  labels: { 'matryoshka-batchtopk': 'uw' },
  defaults: { lr: 5e-4, demoLr: 5e-4, batchSize: 4096, k: DEFAULT_K, l1: 0, weighting: 'uw' },
  options: { k: true, weighting: false, l1: false, nesting: false, auxK: true, groups: true },
  activation: { train: 'batch-topk-prefix', eval: 'row-topk', gate: 'relu' },
  ownK: (config) => config.k,
  resolve(opts, dSae) {
    const k = resolveKOption(opts.k, dSae);
    const nesting = groupPrefixEnds(opts.groups ?? DEFAULT_GROUP_FRACTIONS, dSae);
    const weights = opts.groupWeights ? opts.groupWeights.slice() : nesting.map(() => 1);
    if (weights.length !== nesting.length) throw new ConfigError('config', `group weights (${weights.length}) must have one entry per group (${nesting.length})`);
    return { k, nesting, weights, weighting: 'uw', l1: 0 };
  },
  validate(c, context) {
    if (c.nesting[c.nesting.length - 1] !== c.dSae) throw new ConfigError(context, `matryoshka-batchtopk group prefixes must end at d_sae (${c.dSae})`);
  },
  // evaluated per row at k like batchtopk; SAELens' training cfg `matryoshka_batchtopk` reads back
  saeLens: { architecture: 'topk', activationFn: 'topk', hasK: true, reads: [{ architecture: 'matryoshka_batchtopk' }] },
};
