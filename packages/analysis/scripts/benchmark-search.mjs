// Exact cosine search over a synthetic 1M x 512 collection streamed from an .npy file (memory bounded):
// queries/s for batches of 1 and 256 queries, and peak RSS. Run once: node scripts/benchmark-search.mjs
// Options: --rows N (1000000) --dim D (512) --file PATH (/tmp/msae-bench-1m-512-clustered.npy, reused when present) --block N (16384)
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exactSearch } from '@msae/analysis';
import { openEmbeddingStream } from '@msae/io';
import { benchEnvironment, peakRssMiB, writeSyntheticCollection } from './bench-env.mjs';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, dim: { type: 'string', default: '512' }, file: { type: 'string', default: '/tmp/msae-bench-1m-512-clustered.npy' }, block: { type: 'string', default: '16384' }, single: { type: 'string', default: '3' } } });
const rows = Number(values.rows);
const dim = Number(values.dim);
const { matmul, line } = await benchEnvironment();
console.log(line);
const exists = await stat(values.file).then((s) => s.size > rows * dim * 4).catch(() => false);
if (!exists) {
  const t0 = performance.now();
  await writeSyntheticCollection(values.file, rows, dim, 1);
  console.log(`wrote ${rows} x ${dim} synthetic rows to ${values.file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const stream = await openEmbeddingStream(values.file);
const queriesOf = async (n, start) => ({ data: await stream.readRows(start, n), rows: n, cols: dim });
const results = [];
const streamed = () => stream.batches({ batchSize: Number(values.block) });
// streamed first (peak RSS of the bounded mode), then the collection held in memory
const runs = [
  ['stream', 1, Number(values.single)],
  ['stream', 256, 1],
];
const rssStreamed = () => Number(peakRssMiB());
for (const [mode, batch, passes] of runs) {
  const source = streamed;
  let seconds = 0;
  for (let p = 0; p < passes; p++) {
    const q = await queriesOf(batch, 1000 + p * batch);
    const t0 = performance.now();
    const hits = await exactSearch(q, source, { k: 10, matmul });
    seconds += (performance.now() - t0) / 1000;
    if (hits.rows[0] !== 1000 + p * batch) throw new Error(`query row ${1000 + p * batch} is not its own nearest neighbour`);
  }
  const queries = batch * passes;
  results.push({ mode, batch, queries, seconds: Number(seconds.toFixed(2)), queriesPerSecond: Number((queries / seconds).toFixed(2)), rowsPerSecond: Math.round((rows * passes) / seconds) });
  console.log(`${mode} batch ${batch}: ${queries} queries over ${rows} rows in ${seconds.toFixed(2)} s -> ${(queries / seconds).toFixed(2)} queries/s (${((rows * passes) / seconds / 1e6).toFixed(1)} M rows/s scanned)`);
}
const peakStreamed = rssStreamed();
console.log(`peak RSS while streaming ${peakStreamed} MiB`);
const all = { data: await stream.readRows(0, rows), rows, cols: dim };
for (const [batch, passes] of [[1, Number(values.single)], [256, 1]]) {
  let seconds = 0;
  for (let p = 0; p < passes; p++) {
    const q = { data: all.data.slice((1000 + p * batch) * dim, (1000 + (p + 1) * batch) * dim), rows: batch, cols: dim };
    const t0 = performance.now();
    await exactSearch(q, all, { k: 10, matmul, blockRows: Number(values.block) });
    seconds += (performance.now() - t0) / 1000;
  }
  const queries = batch * passes;
  results.push({ mode: 'memory', batch, queries, seconds: Number(seconds.toFixed(2)), queriesPerSecond: Number((queries / seconds).toFixed(2)), rowsPerSecond: Math.round((rows * passes) / seconds) });
  console.log(`memory batch ${batch}: ${queries} queries in ${seconds.toFixed(2)} s -> ${(queries / seconds).toFixed(2)} queries/s`);
}
await stream.close();
console.log(`peak RSS ${peakRssMiB()} MiB (collection file ${((rows * dim * 4) / 2 ** 20).toFixed(0)} MiB, block ${values.block} rows)`);
console.log(JSON.stringify({ bench: 'exact-search', rows, dim, block: Number(values.block), results, peakRssStreamedMiB: peakStreamed, peakRssMiB: Number(peakRssMiB()) }));
