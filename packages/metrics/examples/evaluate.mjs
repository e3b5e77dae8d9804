// Run from the repository root after install and build: node packages/metrics/examples/evaluate.mjs
import { computeNormalization, createReferenceEngine, createRng, initParams, resolveConfig } from '@msae/core';
import { cknna, cosine, evaluateSae, fvu } from '@msae/metrics';

const rng = createRng(1);
const x = { data: Float32Array.from({ length: 200 * 16 }, () => 0.3 + 0.2 * rng.normal()), rows: 200, cols: 16 };
const xhat = { data: x.data.map((v) => v + 0.01 * rng.normal()), rows: 200, cols: 16 };
console.log('fvu', fvu(x, xhat).toFixed(5), 'cosine', cosine(x, xhat).toFixed(5), 'cknna', cknna(x, xhat).toFixed(4));

const config = resolveConfig({ dIn: 16, dSae: 64, architecture: 'msae', k: 8 });
const engine = createReferenceEngine();
await engine.load({ config, params: initParams(config, 42) });
const records = await evaluateSae({ engine, x, normalization: computeNormalization(x), ks: [8, 16, Infinity] });
console.table(records);
