import type { Matrix } from '@msae/core';
import { openEmbeddingStream, type EmbeddingStream, type SequentialBatch, type ShuffledBatch } from './embedding-stream.js';
import type { EmbeddingReadOptions } from './embedding-layout.js';
import { IoError } from './io-error.js';
import { resolveShardPaths } from './shard-paths.js';
import { cutIntoChunks, planEpoch, type RowRange } from './shuffle-plan.js';

export type { RowRange } from './shuffle-plan.js';

export interface ShardedShuffleOptions {
  batchSize: number;
  /** Base seed; the order is a pure function of (seed, epoch, rows, chunkRows, windowBytes, batchSize). Default 0. */
  seed?: number;
  epoch?: number;
  /** Rows per positioned read (default 1024); chunks never cross a shard boundary. */
  chunkRows?: number;
  /** Bytes of float32 rows shuffled together (default 64 MiB); about two windows are held at once. */
  windowBytes?: number;
  /** Drop the last batch of the epoch when it has fewer than batchSize rows (default false). */
  dropLast?: boolean;
  /** The rows to shuffle (default: every row); e.g. everything but a held-out validation set. */
  ranges?: RowRange[];
  /**
   * Batches of the epoch to leave out from the start (resuming mid-epoch): their order is still drawn, so the
   * batches that follow are exactly those of the full epoch, but windows holding only skipped rows are not read.
   */
  skipBatches?: number;
}

export interface ShardInfo {
  path: string;
  rows: number;
  /** Global row number of the shard's first row. */
  start: number;
}

/** Several embedding files of one width read as one matrix (rows in shard order); memory does not grow with the data. */
export interface ShardedEmbeddingStream {
  readonly shards: readonly ShardInfo[];
  readonly rows: number;
  readonly cols: number;
  /** Global rows [start, start + count) as row-major float32 (may span shards). */
  readRows(start: number, count: number): Promise<Float32Array>;
  /** The rows with these global numbers, in this order. */
  readRowsAt(indices: ArrayLike<number>): Promise<Float32Array>;
  /** The rows of `ranges` (default: all) in order, in batches of at most batchSize rows that stay within one range and shard. */
  batches(options: { batchSize: number; ranges?: RowRange[] }): AsyncGenerator<SequentialBatch>;
  /** One epoch of shuffled batches over `ranges` (default: all rows), every row exactly once; `indices` are global rows. */
  shuffledBatches(options: ShardedShuffleOptions): AsyncGenerator<ShuffledBatch>;
  close(): Promise<void>;
}

/** Open a `--data` value (file, directory of shards or glob) as one stream; shards must share their width. */
export async function openShardedEmbeddingStream(spec: string | string[], options: EmbeddingReadOptions = {}): Promise<ShardedEmbeddingStream> {
  const paths = typeof spec === 'string' ? await resolveShardPaths(spec) : spec;
  if (paths.length === 0) throw new IoError(String(spec), 'no embedding files given');
  const streams: EmbeddingStream[] = [];
  try {
    for (const path of paths) {
      const s = await openEmbeddingStream(path, options);
      streams.push(s);
      if (s.cols !== streams[0].cols) {
        throw new IoError(path, `width ${s.cols} does not match width ${streams[0].cols} of the first shard ${streams[0].path}`);
      }
    }
  } catch (err) {
    await Promise.all(streams.map((s) => s.close().catch(() => undefined)));
    throw err;
  }
  return new Sharded(streams);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Avoid an unhandled rejection for a read the consumer may never await (it stopped early). */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

class Sharded implements ShardedEmbeddingStream {
  readonly shards: ShardInfo[];
  readonly rows: number;
  readonly cols: number;
  private readonly starts: number[];

  constructor(private readonly streams: EmbeddingStream[]) {
    let at = 0;
    this.shards = streams.map((s) => {
      const info = { path: s.path, rows: s.rows, start: at };
      at += s.rows;
      return info;
    });
    this.starts = this.shards.map((s) => s.start);
    this.rows = at;
    this.cols = streams[0].cols;
  }

  /** Index of the shard holding global row r (binary search over shard starts; empty shards are skipped). */
  private shardOf(r: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private all(): RowRange[] {
    return [{ start: 0, count: this.rows }];
  }

  async readRows(start: number, count: number): Promise<Float32Array> {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.rows) {
      throw new RangeError(`rows [${start}, ${start + count}) are outside [0, ${this.rows})`);
    }
    const out = new Float32Array(count * this.cols);
    await this.readChunksInto(cutIntoChunks([{ start, count }], this.starts, Number.MAX_SAFE_INTEGER), out, 0);
    return out;
  }

  /** Read chunks (each within one shard) one after another into dst from row dstRow on. */
  private async readChunksInto(chunks: RowRange[], dst: Float32Array, dstRow: number): Promise<void> {
    let at = dstRow;
    const reads = chunks.map((c) => {
      const s = this.shardOf(c.start);
      const row = at;
      at += c.count;
      return this.streams[s].readRows(c.start - this.starts[s], c.count).then((data) => dst.set(data, row * this.cols));
    });
    await Promise.all(reads);
  }

  async readRowsAt(indices: ArrayLike<number>): Promise<Float32Array> {
    const out = new Float32Array(indices.length * this.cols);
    const group = 64; // positioned reads in flight at once
    for (let from = 0; from < indices.length; from += group) {
      const chunks: RowRange[] = [];
      for (let i = from; i < Math.min(indices.length, from + group); i++) chunks.push({ start: indices[i], count: 1 });
      await this.readChunksInto(chunks, out, from);
    }
    return out;
  }

  async *batches(options: { batchSize: number; ranges?: RowRange[] }): AsyncGenerator<SequentialBatch> {
    const batchSize = positiveInteger('batchSize', options.batchSize);
    const pieces = cutIntoChunks(options.ranges ?? this.all(), this.starts, batchSize);
    const read = (c: RowRange) => quiet(this.readRows(c.start, c.count).then((data) => ({ data, rows: c.count, cols: this.cols, start: c.start })));
    let next = pieces.length > 0 ? read(pieces[0]) : undefined;
    for (let i = 0; i < pieces.length; i++) {
      const batch = await next!;
      next = i + 1 < pieces.length ? read(pieces[i + 1]) : undefined;
      yield batch;
    }
  }

  async *shuffledBatches(options: ShardedShuffleOptions): AsyncGenerator<ShuffledBatch> {
    const batchSize = positiveInteger('batchSize', options.batchSize);
    const chunkRows = positiveInteger('chunkRows', options.chunkRows ?? 1024);
    const windowBytes = positiveInteger('windowBytes', options.windowBytes ?? 64 * 1024 * 1024);
    const skip = options.skipBatches ?? 0;
    const cols = this.cols;
    const chunks = cutIntoChunks(options.ranges ?? this.all(), this.starts, chunkRows);
    const chunksPerWindow = Math.max(1, Math.floor(windowBytes / (chunkRows * cols * 4)));
    const plan = planEpoch(options.seed ?? 0, options.epoch ?? 0, chunks, chunksPerWindow, batchSize);
    const { rng, windows } = plan;
    const lastWanted = plan.remainder > 0 && !options.dropLast && plan.fullBatches >= skip;
    // A window is read only when it completes a batch that is not skipped (then so do all later windows).
    const needed = windows.map((w, i) => w.firstBatch + w.batches > skip || (i === windows.length - 1 && lastWanted));
    const firstNeeded = needed.indexOf(true);

    const windowRows = windows.reduce((m, w) => Math.max(m, w.rows), 0);
    const buffers = [new Float32Array(0), new Float32Array(0)];
    const readWindow = (w: number): Promise<Float32Array> => {
      if (buffers[w % 2].length < windowRows * cols) buffers[w % 2] = new Float32Array(windowRows * cols);
      const buffer = buffers[w % 2];
      return quiet(this.readChunksInto(windows[w].chunks, buffer, 0).then(() => buffer));
    };

    let carryIdx: Uint32Array = new Uint32Array(0);
    let carryData: Float32Array | null = new Float32Array(0);
    let next = firstNeeded >= 0 ? readWindow(firstNeeded) : undefined;
    let batch = 0;
    for (let w = 0; w < windows.length; w++) {
      const win = windows[w];
      const idx = new Uint32Array(win.rows);
      let at = 0;
      for (const c of win.chunks) for (let r = 0; r < c.count; r++) idx[at++] = c.start + r;
      // Pending rows: p < carry rows is carry row p, else window row p - carry rows.
      const carried = carryIdx.length;
      const order = rng.permutation(carried + win.rows);
      const full = win.batches;
      if (!needed[w]) {
        const rest = new Uint32Array(order.length - full * batchSize);
        for (let i = 0; i < rest.length; i++) {
          const p = order[full * batchSize + i];
          rest[i] = p < carried ? carryIdx[p] : idx[p - carried];
        }
        carryIdx = rest;
        carryData = null;
        batch += full;
        continue;
      }
      const data = await next!;
      next = w + 1 < windows.length ? readWindow(w + 1) : undefined;
      if (carryData === null) carryData = await this.readRowsAt(carryIdx);
      const cData = carryData;
      const cIdx = carryIdx;
      const take = (from: number, count: number): ShuffledBatch => {
        const out: ShuffledBatch = { data: new Float32Array(count * cols), indices: new Uint32Array(count), rows: count, cols };
        for (let i = 0; i < count; i++) {
          const p = order[from + i];
          const inCarry = p < carried;
          const row = inCarry ? p : p - carried;
          out.data.set((inCarry ? cData : data).subarray(row * cols, (row + 1) * cols), i * cols);
          out.indices[i] = inCarry ? cIdx[row] : idx[row];
        }
        return out;
      };
      for (let b = 0; b < full; b++, batch++) if (batch >= skip) yield take(b * batchSize, batchSize);
      const rest = take(full * batchSize, order.length - full * batchSize);
      carryIdx = rest.indices;
      carryData = rest.data;
    }
    if (lastWanted) {
      const data = carryData ?? (await this.readRowsAt(carryIdx));
      yield { data, indices: carryIdx, rows: carryIdx.length, cols };
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.streams.map((s) => s.close()));
  }
}

/** A whole sharded stream's rows of `ranges` in one matrix (for a validation set held out of the stream). */
export async function readRanges(stream: ShardedEmbeddingStream, ranges: RowRange[]): Promise<Matrix> {
  const rows = ranges.reduce((n, r) => n + r.count, 0);
  const data = new Float32Array(rows * stream.cols);
  let at = 0;
  for await (const b of stream.batches({ batchSize: 8192, ranges })) {
    data.set(b.data, at * stream.cols);
    at += b.rows;
  }
  return { data, rows, cols: stream.cols };
}
