// LanceDB index on the exact-search benchmark's collection (run benchmark-search.mjs first, or it is written
// here): build time (table + ANN index), query latency one query at a time, recall@10 against exact search.
// Run once: node scripts/benchmark-lance.mjs [--rows 1000000 --dim 512 --file PATH --dir DIR --queries 100]
//   [--index-type hnsw-sq|ivf-flat|ivf-pq|hnsw-pq|flat] [--partitions N] [--nprobes N --refine N --ef N (defaults per type)]
//   [--queries-file Q.npy: query rows from a file instead of perturbed collection rows] [--reuse: keep an index built before]
//   [--passes N (2): the queries N times, pass 1 on a cold index; the last pass is the headline]
import { rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { buildLanceIndex, exactSearch, openLanceIndex, recallAtK } from '@msae/analysis';
import { openEmbeddingStream } from '@msae/io';
import { benchEnvironment, peakRssMiB, writeSyntheticCollection } from './bench-env.mjs';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    dim: { type: 'string', default: '512' },
    file: { type: 'string', default: '/tmp/msae-bench-1m-512-clustered.npy' },
    dir: { type: 'string', default: '/tmp/msae-bench-lance' },
    queries: { type: 'string', default: '100' },
    'queries-file': { type: 'string' },
    'index-type': { type: 'string', default: 'hnsw-sq' },
    nprobes: { type: 'string' },
    refine: { type: 'string' },
    ef: { type: 'string' },
    partitions: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    passes: { type: 'string', default: '2' },
  },
});
const rows = Number(values.rows);
const dim = Number(values.dim);
let nq = Number(values.queries);
const indexType = values['index-type'];
const num = (v) => (v === undefined ? undefined : Number(v));
const tuning = { nprobes: num(values.nprobes), refineFactor: num(values.refine), ef: num(values.ef) };
const { matmul, line } = await benchEnvironment();
console.log(line);
if (!(await stat(values.file).then((s) => s.size > rows * dim * 4).catch(() => false))) await writeSyntheticCollection(values.file, rows, dim, 1);
const stream = await openEmbeddingStream(values.file);
const t0 = performance.now();
let built = { rows: stream.rows, seconds: 0, indexSeconds: 0 };
if (!values.reuse) {
  await rm(values.dir, { recursive: true, force: true });
  built = await buildLanceIndex({ dir: values.dir, source: () => stream.batches({ batchSize: 16384 }), annMinRows: indexType === 'flat' ? Infinity : 1, indexType: indexType === 'flat' ? undefined : indexType, numPartitions: num(values.partitions) });
  console.log(`build: ${built.rows} rows in ${built.seconds.toFixed(1)} s, of which ${indexType} index ${built.indexSeconds.toFixed(1)} s`);
}
let q;
if (values['queries-file']) {
  const qs = await openEmbeddingStream(values['queries-file']);
  nq = Math.min(nq, qs.rows);
  q = { data: await qs.readRows(0, nq), rows: nq, cols: qs.cols };
  await qs.close();
} else {
  // queries: perturbed collection rows (not exact duplicates)
  const n = stream.rows;
  const picked = Array.from({ length: nq }, (_, i) => Math.floor(((i + 0.5) * n) / nq));
  q = { data: new Float32Array(nq * dim), rows: nq, cols: dim };
  for (let i = 0; i < nq; i++) {
    const row = await stream.readRows(picked[i], 1);
    const other = await stream.readRows((picked[i] + 7919) % n, 1);
    for (let d = 0; d < dim; d++) q.data[i * dim + d] = 0.7 * row[d] + 0.3 * other[d];
  }
}
const te = performance.now();
const exact = await exactSearch(q, () => stream.batches({ batchSize: 16384 }), { k: 10, matmul });
const exactSeconds = (performance.now() - te) / 1000;
const index = await openLanceIndex(values.dir);
// the same queries `passes` times: pass 1 meets a cold index (pages read from disk, caches empty), later passes
// a warm one; the tail of pass 1 against the rest says how much of p95 is warm-up rather than the index
const passes = Math.max(1, Number(values.passes));
const byPass = [];
let approx = [];
for (let pass = 0; pass < passes; pass++) {
  const times = [];
  approx = [];
  for (let i = 0; i < nq; i++) {
    const one = { data: q.data.subarray(i * dim, (i + 1) * dim), rows: 1, cols: dim };
    const t = performance.now();
    const [hits] = await index.query(one, { k: 10, ...tuning });
    times.push(performance.now() - t);
    approx.push(hits);
  }
  byPass.push(times);
}
index.close();
await stream.close();
const recall = recallAtK(exact.rows, approx, 10);
const quantile = (xs, f) => {
  const v = [...xs].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor(f * v.length))];
};
const latencies = byPass[byPass.length - 1];
const p = (f) => quantile(latencies, f).toFixed(1);
const knobs = Object.entries(tuning).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`).join(', ') || 'type defaults';
for (const [i, times] of byPass.entries()) {
  const first10 = times.slice(0, Math.max(1, Math.floor(times.length / 10)));
  console.log(`pass ${i + 1} (${i === 0 ? 'cold' : 'warm'}): median ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; first 10% of queries median ${quantile(first10, 0.5).toFixed(1)} ms`);
}
console.log(`load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
console.log(`query latency (${index.indexType ?? 'flat'}, 1 query, k 10, ${knobs}, last of ${passes} passes): median ${p(0.5)} ms, p95 ${p(0.95)} ms; recall@10 vs exact ${recall.toFixed(4)} (${nq} queries; exact search of the batch ${exactSeconds.toFixed(1)} s)`);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${peakRssMiB()} MiB`);
console.log(JSON.stringify({ bench: 'lance', indexType: index.indexType ?? 'flat', ...tuning, rows: built.rows, dim, buildSeconds: built.seconds, indexSeconds: built.indexSeconds, medianMs: Number(p(0.5)), p95Ms: Number(p(0.95)), coldMedianMs: quantile(byPass[0], 0.5), coldP95Ms: quantile(byPass[0], 0.95), recallAt10: recall, queries: nq, peakRssMiB: Number(peakRssMiB()) }));
