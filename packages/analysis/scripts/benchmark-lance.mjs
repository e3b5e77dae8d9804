// LanceDB index on the exact-search benchmark's collection (run benchmark-search.mjs first, or it is written
// here): build time (table + ANN index), query latency one query at a time, recall@10 against exact search.
// Run once: node scripts/benchmark-lance.mjs [--rows 1000000 --dim 512 --file PATH --dir DIR --queries 100]
//   [--index-type hnsw-sq|ivf-flat|ivf-pq|hnsw-pq|flat] [--partitions N] [--nprobes N --refine N --ef N (defaults per type)]
//   [--queries-file Q.npy: query rows from a file instead of perturbed collection rows] [--reuse: keep an index built before]
import { rm, stat } from 'node:fs/promises';
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
const latencies = [];
const approx = [];
for (let i = 0; i < nq; i++) {
  const one = { data: q.data.subarray(i * dim, (i + 1) * dim), rows: 1, cols: dim };
  const t = performance.now();
  const [hits] = await index.query(one, { k: 10, ...tuning });
  latencies.push(performance.now() - t);
  approx.push(hits);
}
index.close();
await stream.close();
latencies.sort((a, b) => a - b);
const recall = recallAtK(exact.rows, approx, 10);
const p = (f) => latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))].toFixed(1);
const knobs = Object.entries(tuning).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`).join(', ') || 'type defaults';
console.log(`query latency (${index.indexType ?? 'flat'}, 1 query, k 10, ${knobs}): median ${p(0.5)} ms, p95 ${p(0.95)} ms; recall@10 vs exact ${recall.toFixed(4)} (${nq} queries; exact search of the batch ${exactSeconds.toFixed(1)} s)`);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${peakRssMiB()} MiB`);
console.log(JSON.stringify({ bench: 'lance', indexType: index.indexType ?? 'flat', ...tuning, rows: built.rows, dim, buildSeconds: built.seconds, indexSeconds: built.indexSeconds, medianMs: Number(p(0.5)), p95Ms: Number(p(0.95)), recallAt10: recall, queries: nq, peakRssMiB: Number(peakRssMiB()) }));
