// exactSearch against numpy on the same in-memory collection, in one run: one query at a time (the GEMV path)
// and a batch of 256 queries (the GEMM path), several repeats each with their spread, and whether both found
// the same top-10. Prints the CPU, the native kernel variant, the load average and numpy's BLAS.
//   node scripts/benchmark-search-numpy.mjs [--rows 500000] [--dim 512] [--single 20] [--batches 3]
// numpy: /usr/bin/python3 (PYTHON=...), with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for that command only;
// the collection is normalized once outside the timing (exactSearch caches its inverse norms the same way).
import { spawnSync } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { compactCollection, compactSearch, exactSearch } from '@msae/analysis';
import { openEmbeddingStream } from '@msae/io';
import { benchEnvironment, writeSyntheticCollection } from './bench-env.mjs';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '500000' }, dim: { type: 'string', default: '512' }, single: { type: 'string', default: '20' }, batches: { type: 'string', default: '3' } } });
const rows = Number(values.rows);
const dim = Number(values.dim);
const single = Number(values.single);
const batches = Number(values.batches);
const file = `/tmp/msae-bench-${rows}-${dim}-clustered.npy`;
const { matmul, line } = await benchEnvironment();
console.log(line);
console.log(`load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
if (!(await stat(file).then((s) => s.size > rows * dim * 4).catch(() => false))) await writeSyntheticCollection(file, rows, dim, 1);
const stream = await openEmbeddingStream(file);
const all = { data: await stream.readRows(0, rows), rows, cols: dim };
await stream.close();

// query sets: `single` one-row queries, `batches` blocks of 256 (rows of the collection, perturbed)
const queryRows = (start, n) => {
  const q = all.data.slice(start * dim, (start + n) * dim);
  for (let i = 0; i < q.length; i++) q[i] += 0.01 * Math.sin(i * 12.9898); // not exactly a collection row
  return { data: q, rows: n, cols: dim };
};
const sets = [
  ...Array.from({ length: single }, (_, i) => ({ batch: 1, q: queryRows((1000 + 7919 * i) % rows, 1) })),
  ...Array.from({ length: batches }, (_, i) => ({ batch: 256, q: queryRows((50000 + 256 * i) % (rows - 256), 256) })),
];
const qFile = `/tmp/msae-bench-queries-${process.pid}.f32`;
await writeFile(qFile, Buffer.concat(sets.map((s) => Buffer.from(s.q.data.buffer))));

await exactSearch(sets[0].q, all, { k: 10, matmul }); // warm-up: fills the cached inverse norms
const ours = [];
for (const s of sets) {
  const t0 = performance.now();
  const hits = await exactSearch(s.q, all, { k: 10, matmul });
  ours.push({ batch: s.batch, seconds: (performance.now() - t0) / 1000, rows: hits.rows });
}

const py = `
import sys, time, json, numpy as np
rows, dim, qfile, sizes = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
blas = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower() or 'lapack' in l.lower()})
try:
    import threadpoolctl; pools = threadpoolctl.threadpool_info()
except Exception as e:
    pools = 'threadpoolctl not installed'
X = np.load(sys.argv[5])
X /= np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-30)  # unit rows, once
Q = np.fromfile(qfile, dtype=np.float32)
out, o = [], 0
for n in sizes:
    q = Q[o:o + n * dim].reshape(n, dim); o += n * dim
    t0 = time.perf_counter()
    qn = q / np.linalg.norm(q, axis=1, keepdims=True)
    S = X @ qn[0] if n == 1 else qn @ X.T  # cosine scores [n, rows]
    S = S.reshape(n, rows)
    top = np.argpartition(-S, 10, axis=1)[:, :10]
    order = np.argsort(-np.take_along_axis(S, top, 1), axis=1)
    top = np.take_along_axis(top, order, 1)
    out.append({'batch': n, 'seconds': time.perf_counter() - t0, 'top': top[:, :10].tolist()})
print(json.dumps({'numpy': np.__version__, 'blas': blas, 'threadpools': pools, 'runs': out}))
`;
const env = { ...process.env };
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;
const r = spawnSync(process.env.PYTHON ?? '/usr/bin/python3', ['-c', py, String(rows), String(dim), qFile, JSON.stringify(sets.map((s) => s.batch)), file], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
if (r.status !== 0) throw new Error(`numpy baseline failed: ${r.stderr.trim().split('\n').pop()}`);
const np = JSON.parse(r.stdout.trim().split('\n').pop());
console.log(`numpy ${np.numpy}; BLAS: ${np.blas.join(', ') || 'none found in the maps'}; threadpools: ${JSON.stringify(np.threadpools)}`);

// agreement: fraction of numpy's top-10 that exactSearch also returned
let agree = 0, total = 0;
for (let s = 0; s < sets.length; s++) {
  const n = sets[s].batch;
  for (let i = 0; i < n; i++) {
    const mine = new Set(ours[s].rows.subarray(i * 10, i * 10 + 10));
    for (const row of np.runs[s].top[i]) agree += mine.has(row) ? 1 : 0;
    total += 10;
  }
}
const stats = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return { median: v[Math.floor(v.length / 2)], min: v[0], max: v[v.length - 1], n: v.length };
};
const summary = [];
console.log('| batch | exactSearch queries/s (median, min-max) | numpy queries/s (median, min-max) | speed-up (median) | repeats |');
console.log('|---:|---:|---:|---:|---:|');
for (const batch of [1, 256]) {
  const a = stats(ours.filter((o) => o.batch === batch).map((o) => batch / o.seconds));
  const b = stats(np.runs.filter((o) => o.batch === batch).map((o) => batch / o.seconds));
  summary.push({ batch, exactSearch: a, numpy: b, speedup: a.median / b.median });
  console.log(`| ${batch} | ${a.median.toFixed(1)} (${a.min.toFixed(1)}-${a.max.toFixed(1)}) | ${b.median.toFixed(1)} (${b.min.toFixed(1)}-${b.max.toFixed(1)}) | ${(a.median / b.median).toFixed(2)}x | ${a.n} |`);
}
// the compact (int8) collection: queries quantized to int8 too, native int8 x int8 scores (int32 sums), 4k
// candidates rescored exactly against the float32 rows
const { gemmInt8Int8ABt, nativeKernelInfo } = await import('@msae/backend-cpu');
console.log(`int8 kernel: ${nativeKernelInfo().int8Kernel}`);
let t0 = performance.now();
const compact = compactCollection(all);
const quantizeSeconds = (performance.now() - t0) / 1000;
const compactRuns = [];
for (let s = 0; s < sets.length; s++) {
  t0 = performance.now();
  const hits = await compactSearch(sets[s].q, compact, { k: 10, refine: 4, rescore: all, matmulInt8Int8: gemmInt8Int8ABt });
  const seconds = (performance.now() - t0) / 1000;
  let found = 0;
  for (let i = 0; i < sets[s].batch; i++) {
    const truth = new Set(ours[s].rows.subarray(i * 10, i * 10 + 10));
    for (let t = 0; t < 10; t++) found += truth.has(hits.rows[i * 10 + t]) ? 1 : 0;
  }
  compactRuns.push({ batch: sets[s].batch, seconds, found, total: 10 * sets[s].batch });
}
console.log(`compact int8 collection: ${(compact.codes.byteLength / 2 ** 20).toFixed(0)} MiB codes + ${(compact.scale.byteLength / 2 ** 20).toFixed(1)} MiB scales vs ${(all.data.byteLength / 2 ** 20).toFixed(0)} MiB float32 (quantized in ${quantizeSeconds.toFixed(1)} s)`);
console.log('| batch | compact queries/s (median, min-max) | exactSearch float32 (median) | speed-up | recall@10 vs float32 |');
console.log('|---:|---:|---:|---:|---:|');
const compactSummary = [];
for (const batch of [1, 256]) {
  const runs = compactRuns.filter((o) => o.batch === batch);
  const a = stats(runs.map((o) => batch / o.seconds));
  const f = summary.find((x) => x.batch === batch).exactSearch;
  const recall = runs.reduce((x, o) => x + o.found, 0) / runs.reduce((x, o) => x + o.total, 0);
  compactSummary.push({ batch, compact: a, speedup: a.median / f.median, recall });
  console.log(`| ${batch} | ${a.median.toFixed(1)} (${a.min.toFixed(1)}-${a.max.toFixed(1)}) | ${f.median.toFixed(1)} | ${(a.median / f.median).toFixed(2)}x | ${recall.toFixed(4)} |`);
}
console.log(`top-10 agreement with numpy: ${((100 * agree) / total).toFixed(2)}% of ${total} hits`);
console.log(`load average after: ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
console.log(JSON.stringify({ bench: 'exact-search-vs-numpy', rows, dim, summary, compact: compactSummary, agreement: agree / total, blas: np.blas }));
