#!/usr/bin/env node
// Matching speed: L latents x V vocabulary entries x D dims (default 10,000 x 40,000 x 768) through
// nameLatents with @msae/backend-cpu's multi-threaded gemmABt; the plain-JS matmul is timed on a
// 1/20 slice of the latents and extrapolated. Random unit data; prints seconds and GFLOP/s.
// Run after building: node scripts/benchmark-speed.mjs [--latents 10000] [--vocab 40000] [--dim 768] [--json]
import { blockedMatmulABt, nameLatents } from '../dist/index.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const L = arg('latents', 10000);
const V = arg('vocab', 40000);
const D = arg('dim', 768);

function randomMatrix(rows, cols, seed) {
  let s = seed >>> 0;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 4294967296 - 0.5;
  }
  return { data, rows, cols };
}

const decoder = randomMatrix(L, D, 1);
const embeddings = randomMatrix(V, D, 2);
const labels = Array.from({ length: V }, (_, i) => `w${i}`);
const vocabulary = { labels, embeddings };
const flop = 2 * L * V * D;

async function time(matmul, rows) {
  const dec = { data: decoder.data.subarray(0, rows * D), rows, cols: D };
  const t0 = performance.now();
  const res = await nameLatents({ decoder: dec, vocabulary, matmul });
  return { seconds: (performance.now() - t0) / 1000, named: res.named };
}

const records = [];
try {
  const { gemmABt } = await import('@msae/backend-cpu');
  const r = await time(gemmABt, L);
  records.push({ matmul: 'backend-cpu gemmABt', latents: L, vocab: V, dim: D, seconds: r.seconds, gflops: flop / r.seconds / 1e9 });
} catch (err) {
  console.error(`backend-cpu unavailable: ${err.message}`);
}
const slice = Math.max(1, Math.floor(L / 20));
const js = await time(blockedMatmulABt, slice);
records.push({
  matmul: 'plain JS (extrapolated from 1/20)',
  latents: L,
  vocab: V,
  dim: D,
  seconds: (js.seconds * L) / slice,
  gflops: ((2 * slice * V * D) / js.seconds) / 1e9,
});
if (process.argv.includes('--json')) console.log(JSON.stringify({ records }));
else for (const r of records) console.log(`${r.matmul}: ${r.latents} x ${r.vocab} x ${r.dim} in ${r.seconds.toFixed(2)} s (${r.gflops.toFixed(1)} GFLOP/s)`);
