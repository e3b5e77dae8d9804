// LanceDB index on the exact-search benchmark's collection (run benchmark-search.mjs first, or it is written
// here): build time (table + IVF-PQ), query latency one query at a time, recall@10 against exact search.
// Run once: node scripts/benchmark-lance.mjs [--rows 1000000 --dim 512 --file PATH --dir DIR --queries 100]
import { rm, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildLanceIndex, exactSearch, openLanceIndex, recallAtK } from '@msae/analysis';
import { openEmbeddingStream } from '@msae/io';
import { benchEnvironment, peakRssMiB, writeSyntheticCollection } from './bench-env.mjs';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    dim: { type: 'string', default: '512' },
    file: { type: 'string', default: '/tmp/msae-bench-1m-512.npy' },
    dir: { type: 'string', default: '/tmp/msae-bench-lance' },
    queries: { type: 'string', default: '100' },
    nprobes: { type: 'string', default: '20' },
    refine: { type: 'string', default: '4' },
    partitions: { type: 'string', default: '256' },
  },
});
const rows = Number(values.rows);
const dim = Number(values.dim);
const nq = Number(values.queries);
const { matmul, line } = await benchEnvironment();
console.log(line);
if (!(await stat(values.file).then((s) => s.size > rows * dim * 4).catch(() => false))) await writeSyntheticCollection(values.file, rows, dim, 1);
await rm(values.dir, { recursive: true, force: true });
const stream = await openEmbeddingStream(values.file);
const t0 = performance.now();
const built = await buildLanceIndex({ dir: values.dir, source: () => stream.batches({ batchSize: 16384 }), annMinRows: 1, numPartitions: Number(values.partitions) });
console.log(`build: ${built.rows} rows in ${built.seconds.toFixed(1)} s, of which IVF-PQ training ${built.indexSeconds.toFixed(1)} s (table + IVF-PQ ${values.partitions} partitions, ${dim / 8} sub-vectors)`);
// queries: perturbed collection rows (not exact duplicates)
const picked = Array.from({ length: nq }, (_, i) => Math.floor(((i + 0.5) * rows) / nq));
const q = { data: new Float32Array(nq * dim), rows: nq, cols: dim };
for (let i = 0; i < nq; i++) {
  const row = await stream.readRows(picked[i], 1);
  const other = await stream.readRows((picked[i] + 7919) % rows, 1);
  for (let d = 0; d < dim; d++) q.data[i * dim + d] = 0.7 * row[d] + 0.3 * other[d];
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
  const [hits] = await index.query(one, { k: 10, nprobes: Number(values.nprobes), refineFactor: Number(values.refine) });
  latencies.push(performance.now() - t);
  approx.push(hits);
}
index.close();
await stream.close();
latencies.sort((a, b) => a - b);
const recall = recallAtK(exact.rows, approx, 10);
const p = (f) => latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))].toFixed(1);
console.log(`query latency (1 query, k 10, nprobes ${values.nprobes}, refine ${values.refine}): median ${p(0.5)} ms, p95 ${p(0.95)} ms; recall@10 vs exact ${recall.toFixed(4)} (${nq} queries; exact search of the batch ${exactSeconds.toFixed(1)} s)`);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${peakRssMiB()} MiB`);
console.log(JSON.stringify({ bench: 'lance', rows, dim, buildSeconds: built.seconds, indexSeconds: built.indexSeconds, medianMs: Number(p(0.5)), p95Ms: Number(p(0.95)), recallAt10: recall, queries: nq, peakRssMiB: Number(peakRssMiB()) }));
