import { createRng, type Matrix } from '@msae/core';
import { open, type FileHandle } from 'node:fs/promises';
import { IoError } from './io-error.js';
import {
  EMBEDDING_PREFIX_BYTES,
  embeddingHeaderLength,
  parseEmbeddingLayout,
  type EmbeddingFormat,
  type EmbeddingLayout,
  type EmbeddingReadOptions,
} from './embedding-layout.js';
import { assertFiniteRows } from './finite-rows.js';
import { fileError } from './fs-error.js';
import { decodeRows, rowRanges } from './layout-rows.js';

/** A batch of rows in file order; `start` is the index of its first row. */
export interface SequentialBatch extends Matrix {
  start: number;
}

/** A batch of shuffled rows; `indices[i]` is the file row of batch row i. */
export interface ShuffledBatch extends Matrix {
  indices: Uint32Array;
}

export interface SequentialBatchOptions {
  batchSize: number;
  /** First row (default 0). */
  start?: number;
  /** One past the last row (default: all rows). */
  end?: number;
}

export interface ShuffledBatchOptions {
  batchSize: number;
  /** Base seed; the order depends on (seed, epoch). Default 0. */
  seed?: number;
  /** Epoch number, mixed into the seed so each epoch has its own order. Default 0. */
  epoch?: number;
  /** Rows per positioned read (default 1024). */
  chunkRows?: number;
  /**
   * Bytes of float32 rows shuffled together (default 64 MiB): random chunks are read into a window
   * of this size and its rows are permuted. A file no larger than this gets a full shuffle. About
   * two windows (the one being served and the one being prefetched) are held at once.
   */
  windowBytes?: number;
  /** Drop the last batch of the epoch when it has fewer than batchSize rows (default false). */
  dropLast?: boolean;
}

/** An open embedding file read by positioned reads; memory use does not grow with the file. */
export interface EmbeddingStream {
  readonly path: string;
  readonly layout: EmbeddingLayout;
  readonly rows: number;
  readonly cols: number;
  readonly format: EmbeddingFormat;
  /** Rows [start, start + count) as row-major float32 (checked finite). */
  readRows(start: number, count: number): Promise<Float32Array>;
  /** Batches in file order (for evaluation). */
  batches(options: SequentialBatchOptions): AsyncGenerator<SequentialBatch>;
  /**
   * One epoch of shuffled batches: every row exactly once. Chunks of `chunkRows` rows are visited
   * in a seeded random order, `windowBytes` worth at a time; rows are permuted within the window
   * (rows left over from the previous window join the next one). The next window is read while
   * the current one is served.
   */
  shuffledBatches(options: ShuffledBatchOptions): AsyncGenerator<ShuffledBatch>;
  close(): Promise<void>;
}

interface RowBlock {
  data: Float32Array;
  indices: Uint32Array;
  rows: number;
}

/** Open an embedding file (.npy, paper memmap or .safetensors) for positioned, bounded-memory reads. */
export async function openEmbeddingStream(path: string, options: EmbeddingReadOptions = {}): Promise<EmbeddingStream> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw fileError(path, err);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new IoError(path, 'is a directory, expected a file');
    const size = info.size;
    const prefix = await readBytes(handle, path, 0, Math.min(EMBEDDING_PREFIX_BYTES, size));
    const headerLength = embeddingHeaderLength(prefix, path, size);
    const header = headerLength > prefix.byteLength ? await readBytes(handle, path, 0, headerLength) : prefix;
    const layout = parseEmbeddingLayout(header, path, size, options);
    return new FileEmbeddingStream(path, handle, layout);
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw fileError(path, err);
  }
}

async function readBytes(handle: FileHandle, path: string, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  await readInto(handle, path, out, position);
  return out;
}

/** Fill `target` from the file at `position`, looping over short reads (in pieces of <= 1 GiB). */
async function readInto(handle: FileHandle, path: string, target: Uint8Array, position: number): Promise<void> {
  const maxPiece = 1 << 30;
  let done = 0;
  while (done < target.byteLength) {
    const length = Math.min(maxPiece, target.byteLength - done);
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(target, done, length, position + done));
    } catch (err) {
      throw fileError(path, err, 'read failed');
    }
    if (bytesRead === 0) {
      throw new IoError(path, `truncated: unexpected end of file at byte ${position + done} (file changed while reading?)`);
    }
    done += bytesRead;
  }
}

/** Mix (seed, epoch) into one 32-bit seed (murmur3 finalizer over seed ^ golden-ratio * epoch). */
function epochSeed(seed: number, epoch: number): number {
  let h = (seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

class FileEmbeddingStream implements EmbeddingStream {
  readonly rows: number;
  readonly cols: number;
  readonly format: EmbeddingFormat;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly layout: EmbeddingLayout,
  ) {
    this.rows = layout.rows;
    this.cols = layout.cols;
    this.format = layout.format;
  }

  async readRows(start: number, count: number): Promise<Float32Array> {
    const out = new Float32Array(count * this.cols);
    await this.readRowsInto(start, count, out, 0);
    return out;
  }

  private async readRowsInto(start: number, count: number, dst: Float32Array, dstRow: number): Promise<void> {
    if (this.closed) throw new IoError(this.path, 'stream is closed');
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.rows) {
      throw new RangeError(`${this.path}: rows [${start}, ${start + count}) are outside [0, ${this.rows})`);
    }
    if (count === 0) return;
    const ranges = rowRanges(this.layout, start, count);
    const total = ranges.reduce((n, r) => n + r.length, 0);
    const directF32 = this.layout.order === 'C' && this.layout.dtype === 'f4' && isLittleEndianHost();
    // C-order float32: read straight into the destination rows; otherwise read raw bytes and decode.
    const raw = directF32
      ? new Uint8Array(dst.buffer, dst.byteOffset + dstRow * this.cols * 4, total)
      : new Uint8Array(total);
    let at = 0;
    await Promise.all(
      ranges.map((r) => {
        const target = raw.subarray(at, at + r.length);
        at += r.length;
        return readInto(this.handle, this.path, target, r.position);
      }),
    );
    if (!directF32) decodeRows(this.layout, raw, count, dst, dstRow);
    assertFiniteRows(this.path, dst.subarray(dstRow * this.cols, (dstRow + count) * this.cols), this.cols, start);
  }

  async *batches(options: SequentialBatchOptions): AsyncGenerator<SequentialBatch> {
    const batchSize = positiveInteger('batchSize', options.batchSize);
    const start = options.start ?? 0;
    const end = options.end ?? this.rows;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.rows || start > end) {
      throw new RangeError(`${this.path}: row range [${start}, ${end}) is outside [0, ${this.rows})`);
    }
    const read = (from: number) => {
      const count = Math.min(batchSize, end - from);
      const p = this.readRows(from, count).then((data) => ({ data, rows: count, cols: this.cols, start: from }));
      p.catch(() => undefined); // awaited below; avoids an unhandled rejection if the consumer stops early
      return p;
    };
    let next = start < end ? read(start) : undefined;
    for (let from = start; from < end; from += batchSize) {
      const batch = await next!;
      next = from + batchSize < end ? read(from + batchSize) : undefined;
      yield batch;
    }
  }

  async *shuffledBatches(options: ShuffledBatchOptions): AsyncGenerator<ShuffledBatch> {
    const batchSize = positiveInteger('batchSize', options.batchSize);
    const chunkRows = positiveInteger('chunkRows', options.chunkRows ?? 1024);
    const windowBytes = positiveInteger('windowBytes', options.windowBytes ?? 64 * 1024 * 1024);
    const cols = this.cols;
    const rng = createRng(epochSeed(options.seed ?? 0, options.epoch ?? 0));

    const chunkCount = Math.ceil(this.rows / chunkRows);
    const chunkOrder = rng.permutation(chunkCount);
    const chunksPerWindow = Math.max(1, Math.floor(windowBytes / (chunkRows * cols * 4)));
    const windowCount = Math.ceil(chunkCount / chunksPerWindow);

    // Two window buffers used in turn: window w is read into buffer w % 2 while window w - 1 is served.
    const windowRows = Math.min(this.rows, chunksPerWindow * chunkRows);
    const buffers = [0, 1].map(() => ({ data: new Float32Array(0), indices: new Uint32Array(0) }));
    const readWindow = (w: number): Promise<RowBlock> => {
      const chunks = chunkOrder.subarray(w * chunksPerWindow, Math.min(chunkCount, (w + 1) * chunksPerWindow));
      const counts = Array.from(chunks, (c) => Math.min(chunkRows, this.rows - c * chunkRows));
      const rows = counts.reduce((a, b) => a + b, 0);
      const buffer = buffers[w % 2];
      if (buffer.indices.length < rows) {
        buffer.data = new Float32Array(windowRows * cols);
        buffer.indices = new Uint32Array(windowRows);
      }
      const block: RowBlock = { data: buffer.data, indices: buffer.indices, rows };
      let at = 0;
      const reads = Array.from(chunks, (c, i) => {
        const first = c * chunkRows;
        for (let r = 0; r < counts[i]; r++) block.indices[at + r] = first + r;
        const p = this.readRowsInto(first, counts[i], block.data, at);
        at += counts[i];
        return p;
      });
      const p = Promise.all(reads).then(() => block);
      p.catch(() => undefined); // awaited below; avoids an unhandled rejection if the consumer stops early
      return p;
    };

    let carry: RowBlock = { data: new Float32Array(0), indices: new Uint32Array(0), rows: 0 };
    let next = windowCount > 0 ? readWindow(0) : undefined;
    for (let w = 0; w < windowCount; w++) {
      const window = await next!;
      next = w + 1 < windowCount ? readWindow(w + 1) : undefined;
      // Pending rows: p < carry.rows is carry row p, else window row p - carry.rows.
      const pending = carry.rows + window.rows;
      const order = rng.permutation(pending);
      const take = (from: number, count: number): RowBlock => {
        const out: RowBlock = { data: new Float32Array(count * cols), indices: new Uint32Array(count), rows: count };
        for (let i = 0; i < count; i++) {
          const p = order[from + i];
          const src = p < carry.rows ? carry : window;
          const row = p < carry.rows ? p : p - carry.rows;
          out.data.set(src.data.subarray(row * cols, (row + 1) * cols), i * cols);
          out.indices[i] = src.indices[row];
        }
        return out;
      };
      const full = Math.floor(pending / batchSize);
      for (let b = 0; b < full; b++) {
        const batch = take(b * batchSize, batchSize);
        yield { data: batch.data, rows: batch.rows, cols, indices: batch.indices };
      }
      carry = take(full * batchSize, pending - full * batchSize);
    }
    if (carry.rows > 0 && !options.dropLast) yield { data: carry.data, rows: carry.rows, cols, indices: carry.indices };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

function isLittleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
