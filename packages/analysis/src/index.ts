export * from './errors.js';
export * from './sparse-codes.js';
export * from './sae-model.js';
export * from './steering-edits.js';
export * from './steer.js';
export * from './topk-collector.js';
export * from './exact-search.js';
export * from './compact-collection.js';
export * from './concept-search.js';
// LanceDB stays an optional peer: the curated lists leave out what would put its types in the .d.ts
export {
  LANCE_TABLE,
  buildLanceIndex,
  loadLance,
  openLanceIndex,
  recallAtK,
  type LanceBuildOptions,
  type LanceBuildResult,
  type LanceHit,
  type LanceModules,
  type LanceQueryOptions,
} from './lance-index.js';
export {
  DEFAULT_LANCE_INDEX_TYPE,
  LANCE_INDEX_TYPES,
  annQueryDefaults,
  fromLanceIndexType,
  isLanceIndexType,
  type LanceAnnOptions,
  type LanceAnnQueryOptions,
  type LanceIndexType,
} from './lance-ann.js';
export * from './attribute-table.js';
export * from './linear-classifier.js';
export * from './logistic-probe.js';
export * from './group-statistics.js';
export * from './causal-effects.js';
export * from './bias-analysis.js';
export * from './downstream-agreement.js';
export * from './planted-bias.js';
export { blockedMatmulABt, type MatmulABt } from '@msae/core';
export * from './latent-scales.js';
export * from './steering-range.js';
export * from './steering-effects.js';
export * from './concept-latents.js';
export * from './concept-residue.js';
export * from './code-search.js';
export * from './dedupe-hits.js';
export * from './bootstrap.js';
export * from './fairness-metrics.js';
export * from './mitigation-verdict.js';
export * from './row-interventions.js';
export * from './steered-source.js';
