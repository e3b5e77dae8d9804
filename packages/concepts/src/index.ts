export { blockedMatmulABt, type MatmulABt } from '@msae/core';
export * from './decoder-directions.js';
export * from './cosine-search.js';
export * from './confidence.js';
export * from './name-latents.js';
export * from './concept-lookup.js';
export * from './activation-evidence.js';
export * from './planted-benchmark.js';
export * from './vocabulary.js';
