// Browser entry (`@msae/concepts/browser`, and `@msae/concepts` under the `browser` condition): everything
// but the Node file loaders (vocabulary .txt embedding and caching, shipped files read from disk).
export { blockedMatmulABt, type MatmulABt } from '@msae/core';
export * from './decoder-directions.js';
export * from './cosine-search.js';
export * from './confidence.js';
export * from './name-latents.js';
export * from './concept-lookup.js';
export * from './activation-evidence.js';
export * from './shipped-vocabularies.js';
export * from './latent-dashboard-record.js';
export * from './latent-dashboard.js';
export * from './latent-hierarchy.js';
export * from './near-duplicates.js';
export * from './sparse-codes.js';
export * from './decoder-null-model.js';
export * from './concept-evidence.js';
export * from './evidence-naming.js';
export * from './decision-summary.js';
export * from './demo-vocabulary.js';
export * from './merge-vocabularies.js';
export * from './vocabulary-compatibility.js';
export * from './dashboard-csv.js';
export * from './dashboard-html.js';
