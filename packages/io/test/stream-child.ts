// Child process of stream-memory.test.ts: streams one shuffled epoch and one sequential pass of a
// large .npy file under a small V8 heap, checks every value, and prints a JSON summary.
import { openEmbeddingStream } from '../src/embedding-stream.js';

async function main(): Promise<void> {
  const [path, batchArg, seedArg] = process.argv.slice(2);
  const stream = await openEmbeddingStream(path);
  const { rows, cols } = stream;
  let peakRss = process.memoryUsage().rss;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  // The parent wrote row r as [r, (7r + 1) % 1009, ..., (7r + c) % 1009, ...]: integers, exact in float32.
  let wrong = 0;
  const check = (data: Float32Array, count: number, rowOf: (i: number) => number) => {
    for (let i = 0; i < count; i++) {
      const r = rowOf(i);
      const base = i * cols;
      if (data[base] !== r) wrong++;
      for (let c = 1; c < cols; c++) if (data[base + c] !== (r * 7 + c) % 1009) wrong++;
    }
  };

  const seen = new Uint8Array(rows);
  let shuffledBatches = 0;
  let adjacent = 0;
  let previous = -2;
  for await (const b of stream.shuffledBatches({ batchSize: Number(batchArg), seed: Number(seedArg), windowBytes: 8 << 20 })) {
    check(b.data, b.rows, (i) => b.indices[i]);
    for (let i = 0; i < b.rows; i++) {
      const r = b.indices[i];
      if (b.data[i * cols] === r) seen[r]++;
      if (r === previous + 1) adjacent++;
      previous = r;
    }
    shuffledBatches++;
    sample();
  }
  const peakShuffledRss = peakRss;
  let onceEach = 0;
  for (let r = 0; r < rows; r++) if (seen[r] === 1) onceEach++;

  let sequentialRows = 0;
  for await (const b of stream.batches({ batchSize: 4096 })) {
    check(b.data, b.rows, (i) => b.start + i);
    sequentialRows += b.rows;
    sample();
  }
  await stream.close();
  process.stdout.write(JSON.stringify({ rows, cols, shuffledBatches, onceEach, adjacent, sequentialRows, wrong, peakShuffledRss, peakRss }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
