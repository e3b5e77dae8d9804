import { freemem } from 'node:os';
import { NormalizationAccumulator, type Matrix, type Normalization } from '@msae/core';
import { normalizeInPlace } from '@msae/core/internal';
import { rowsInMemory, type BatchSource, type StreamSettings } from '@msae/training';
import { IoError, openShardedEmbeddingStream, readRanges, resolveShardPaths, type RowRange, type ShardedEmbeddingStream } from '@msae/io';
import { loadTrainingData, type TrainingData } from './training-data.js';
import { splitStream } from './stream-holdout.js';

export type StreamingMode = 'auto' | 'on' | 'off';

export type { StreamSettings };

/** Where training batches come from: the whole file in memory, or a bounded-memory stream of shards. */
export interface TrainingSource extends BatchSource {
  readonly mode: 'memory' | 'stream';
  readonly val: Matrix;
  readonly description: string;
  readonly valDescription: string;
  readonly synthetic: boolean;
  /** Streaming settings (mode 'stream'), for the trainer state. */
  readonly stream?: StreamSettings;
  close(): Promise<void>;
}

export interface SourceOptions {
  data?: string;
  val?: string;
  /** Seed of the shuffle and the hold-out. */
  dataSeed: number;
  streaming: StreamingMode;
  /** Bytes of one shuffle window (two are held); streaming only. */
  windowBytes: number;
  chunkRows?: number;
}

/** The in-memory path: the data (or the demo set) loaded whole, batches from @msae/training's rowsInMemory. */
function memorySource(d: TrainingData, dataSeed: number): TrainingSource {
  return {
    ...rowsInMemory(d.train, dataSeed),
    mode: 'memory',
    val: d.val,
    description: d.description,
    valDescription: d.valDescription,
    synthetic: d.synthetic,
    close: async () => undefined,
  };
}

/** The streaming path: shuffled windows of the shards, the validation set from --val or held out of the stream. */
async function streamSource(spec: string, o: SourceOptions): Promise<TrainingSource> {
  const stream = await openShardedEmbeddingStream(spec);
  try {
    if (stream.rows === 0) throw new IoError(spec, 'no rows to train on');
    let trainRanges: RowRange[];
    let val: Matrix;
    let valDescription: string;
    if (o.val !== undefined) {
      val = await readWhole(o.val, stream.cols, '--data');
      trainRanges = [{ start: 0, count: stream.rows }];
      valDescription = o.val;
    } else {
      if (stream.rows < 20) throw new IoError(spec, `${stream.rows} rows are too few to hold out a validation set (give --val)`);
      const split = splitStream(stream.rows, o.dataSeed);
      val = await readRanges(stream, split.val);
      trainRanges = split.train;
      valDescription = `held out of ${spec} (${split.valRows} rows in ${split.val.length} runs)`;
    }
    const rows = trainRanges.reduce((n, r) => n + r.count, 0);
    const settings: StreamSettings = { windowBytes: o.windowBytes, chunkRows: o.chunkRows ?? 1024 };
    let norm: Promise<Normalization> | undefined;
    const shards = stream.shards.length;
    return {
      mode: 'stream',
      rows,
      cols: stream.cols,
      val,
      description: `${spec} (streamed: ${shards} shard${shards === 1 ? '' : 's'}, ${rows} training rows, shuffle window ${Number((settings.windowBytes / 2 ** 20).toPrecision(3))} MiB)`,
      valDescription,
      synthetic: false,
      stream: settings,
      normalization: () => (norm ??= streamNormalization(stream, trainRanges)),
      async *batches(epoch, batchSize, skip, n) {
        const options = { batchSize, seed: o.dataSeed, epoch, ranges: trainRanges, skipBatches: skip, ...settings };
        for await (const b of stream.shuffledBatches(options)) yield { data: normalizeInPlace(b.data, n), rows: b.rows, cols: b.cols };
      },
      close: () => stream.close(),
    };
  } catch (err) {
    await stream.close().catch(() => undefined);
    throw err;
  }
}

/** Normalization statistics from one sequential streaming pass over the training rows (core's accumulator, float64). */
async function streamNormalization(stream: ShardedEmbeddingStream, ranges: RowRange[]): Promise<Normalization> {
  const acc = new NormalizationAccumulator(stream.cols);
  for await (const b of stream.batches({ batchSize: 8192, ranges })) acc.add(b.data);
  return acc.result();
}

async function readWhole(spec: string, cols: number, against: string): Promise<Matrix> {
  const s = await openShardedEmbeddingStream(spec);
  try {
    if (s.rows === 0) throw new IoError(spec, 'no rows to validate on');
    if (s.cols !== cols) throw new IoError(spec, `dimension ${s.cols} does not match ${against} dimension ${cols}`);
    return await readRanges(s, [{ start: 0, count: s.rows }]);
  } finally {
    await s.close();
  }
}

/**
 * Whether `--streaming auto` keeps the data in memory: one file whose float32 copy, times three (the data, its
 * normalized copy, the hold-out split), fits in half the free memory and under V8's typed-array cap.
 */
export function fitsInMemory(rows: number, cols: number, shards: number, free = freemem()): boolean {
  const values = rows * cols;
  return shards === 1 && values < 2 ** 31 && values * 4 * 3 <= free / 2;
}

/** Open `--data` per `--streaming` (on: stream, off: in memory, auto: in memory when fitsInMemory). */
export async function openTrainingSource(o: SourceOptions): Promise<TrainingSource> {
  if (o.data === undefined) return memorySource(await loadTrainingData(undefined, o.val, o.dataSeed), o.dataSeed);
  let stream = o.streaming === 'on';
  if (o.streaming !== 'on') {
    const paths = await resolveShardPaths(o.data);
    if (paths.length > 1 && o.streaming === 'off') throw new IoError(o.data, `names ${paths.length} shards; --streaming off reads one file (use --streaming on or auto)`);
    if (o.streaming === 'auto') {
      const probe = await openShardedEmbeddingStream(paths);
      stream = !fitsInMemory(probe.rows, probe.cols, paths.length);
      await probe.close();
    }
    if (!stream) return memorySource(await loadTrainingData(paths[0], o.val, o.dataSeed), o.dataSeed);
  }
  return streamSource(o.data, o);
}
