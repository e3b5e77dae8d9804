// Child process of sharded-memory.test.ts: one shuffled epoch over a directory of shards under a small V8 heap,
// checking every value; prints a JSON summary with the peak RSS.
import { openShardedEmbeddingStream } from '../src/sharded-stream.js';

async function main(): Promise<void> {
  const [spec, batchArg, seedArg] = process.argv.slice(2);
  const stream = await openShardedEmbeddingStream(spec);
  const { rows, cols } = stream;
  let peakRss = process.memoryUsage().rss;
  let wrong = 0;
  const seen = new Uint8Array(rows);
  let batches = 0;
  // The parent wrote global row r as [r, (7r + 1) % 1009, ..., (7r + c) % 1009, ...].
  for await (const b of stream.shuffledBatches({ batchSize: Number(batchArg), seed: Number(seedArg), windowBytes: 8 << 20 })) {
    for (let i = 0; i < b.rows; i++) {
      const r = b.indices[i];
      if (b.data[i * cols] !== r) wrong++;
      for (let c = 1; c < cols; c++) if (b.data[i * cols + c] !== (r * 7 + c) % 1009) wrong++;
      seen[r]++;
    }
    batches++;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  await stream.close();
  let onceEach = 0;
  for (let r = 0; r < rows; r++) if (seen[r] === 1) onceEach++;
  process.stdout.write(`${JSON.stringify({ rows, cols, shards: stream.shards.length, batches, onceEach, wrong, peakRss })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
