import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddingStream, type EmbeddingStream, type ShuffledBatch } from '../src/index.js';
import { elementBytes, npyFile, safetensorsFile, tempDir, toColumnMajor } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

const ROWS = 1003;
const COLS = 5;
/** Row r, column c holds r + c/8 (exact in float16 for r < 256 only, so f2 files use r % 256). */
const value = (r: number, c: number, wrap = Infinity) => (r % wrap) + c / 8;
function values(wrap = Infinity): number[] {
  const out: number[] = [];
  for (let r = 0; r < ROWS; r++) for (let c = 0; c < COLS; c++) out.push(value(r, c, wrap));
  return out;
}

/** Half bits of an exactly representable value (normal range). */
function halfBits(v: number): number {
  if (v === 0) return 0;
  const e = Math.floor(Math.log2(v));
  return ((e + 15) << 10) | Math.round((v / 2 ** e - 1) * 1024);
}

async function makeFiles(): Promise<Record<string, { path: string; wrap: number }>> {
  const c = values();
  const f4 = elementBytes(c, 'f4');
  const halfValues = values(256);
  const half = new Uint8Array(new Uint16Array(halfValues.map(halfBits)).buffer);
  return {
    npyC: { path: await tmp.file('c.npy', npyFile({ shape: `(${ROWS}, ${COLS})`, body: f4 })), wrap: Infinity },
    npyF: {
      path: await tmp.file('f.npy', npyFile({ shape: `(${ROWS}, ${COLS})`, fortran: true, body: elementBytes(toColumnMajor(c, ROWS, COLS), 'f8'), descr: '<f8' })),
      wrap: Infinity,
    },
    npyHalf: { path: await tmp.file('h.npy', npyFile({ major: 3, shape: `(${ROWS}, ${COLS})`, descr: '<f2', body: half })), wrap: 256 },
    memmap: { path: await tmp.file(`paper_${ROWS}_${COLS}.npy`, f4), wrap: Infinity },
    safetensors: {
      path: await tmp.file(
        's.safetensors',
        safetensorsFile(
          { bias: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, x: { dtype: 'F32', shape: [ROWS, COLS], data_offsets: [8, 8 + f4.byteLength] } },
          new Uint8Array([...new Uint8Array(8), ...f4]),
        ),
      ),
      wrap: Infinity,
    },
  };
}

function checkBatchRows(b: { data: Float32Array; rows: number; cols: number }, rowOf: (i: number) => number, wrap: number): void {
  for (let i = 0; i < b.rows; i++) {
    const r = rowOf(i);
    for (let c = 0; c < COLS; c++) expect(b.data[i * COLS + c]).toBe(value(r, c, wrap));
  }
}

async function epoch(s: EmbeddingStream, opts: Parameters<EmbeddingStream['shuffledBatches']>[0]): Promise<ShuffledBatch[]> {
  const out: ShuffledBatch[] = [];
  for await (const b of s.shuffledBatches(opts)) out.push(b);
  return out;
}

describe('embedding streams', () => {
  it('every format: shuffled batches visit every row exactly once, with the right content', async () => {
    const files = await makeFiles();
    for (const [name, { path, wrap }] of Object.entries(files)) {
      const s = await openEmbeddingStream(path);
      try {
        expect([s.rows, s.cols], name).toEqual([ROWS, COLS]);
        // windowBytes holds 3 chunks of 37 rows; batches (64) are larger than some windows' leftovers.
        const batches = await epoch(s, { batchSize: 64, seed: 5, chunkRows: 37, windowBytes: 3 * 37 * COLS * 4 });
        const seen = new Uint8Array(ROWS);
        batches.forEach((b, i) => {
          expect(b.rows, name).toBe(i < batches.length - 1 ? 64 : ROWS % 64);
          expect(b.data.length).toBe(b.rows * COLS);
          checkBatchRows(b, (j) => b.indices[j], wrap);
          for (const r of b.indices) seen[r]++;
        });
        expect(seen.every((n) => n === 1), name).toBe(true);
        // Shuffled: few consecutive file rows stay neighbours.
        const all = batches.flatMap((b) => Array.from(b.indices));
        const adjacent = all.slice(1).filter((r, i) => r === all[i] + 1).length;
        expect(adjacent / ROWS).toBeLessThan(0.05);
      } finally {
        await s.close();
      }
    }
  });

  it('same seed and epoch give the same order; another epoch or seed a different one; dropLast', async () => {
    const { npyC } = await makeFiles();
    const s = await openEmbeddingStream(npyC.path);
    const opts = { batchSize: 100, seed: 11, chunkRows: 50, windowBytes: 4 * 50 * COLS * 4 };
    const order = async (o: object) => (await epoch(s, { ...opts, ...o })).flatMap((b) => Array.from(b.indices));
    const a = await order({});
    expect(await order({})).toEqual(a);
    expect(await order({ epoch: 1 })).not.toEqual(a);
    expect(await order({ seed: 12 })).not.toEqual(a);
    const dropped = await epoch(s, { ...opts, dropLast: true });
    expect(dropped.map((b) => b.rows)).toEqual(Array(10).fill(100));
    // A window holding the whole file is a full shuffle; one row per chunk still covers everything.
    const full = await order({ windowBytes: 1 << 20 });
    expect([...full].sort((x, y) => x - y)).toEqual(Array.from({ length: ROWS }, (_, i) => i));
    const tiny = await epoch(s, { batchSize: 7, chunkRows: 1, windowBytes: 1 });
    expect(tiny.reduce((n, b) => n + b.rows, 0)).toBe(ROWS);
    await s.close();
  });

  it('sequential batches cover a row range in order', async () => {
    const { npyF } = await makeFiles();
    const s = await openEmbeddingStream(npyF.path);
    const got: number[] = [];
    for await (const b of s.batches({ batchSize: 128, start: 10, end: 700 })) {
      checkBatchRows(b, (i) => b.start + i, Infinity);
      for (let i = 0; i < b.rows; i++) got.push(b.start + i);
    }
    expect(got).toEqual(Array.from({ length: 690 }, (_, i) => 10 + i));
    expect(Array.from(await s.readRows(1002, 1))).toEqual([0, 1, 2, 3, 4].map((c) => value(1002, c)));
    await expect(s.readRows(1000, 4)).rejects.toThrow(RangeError);
    await s.close();
    await expect(s.readRows(0, 1)).rejects.toThrow(/stream is closed/);
  });

  it('a NaN row met while streaming is reported by its index', async () => {
    const v = values();
    v[777 * COLS + 3] = NaN;
    const path = await tmp.file('nan.npy', npyFile({ shape: `(${ROWS}, ${COLS})`, body: elementBytes(v, 'f4') }));
    const s = await openEmbeddingStream(path);
    await expect(epoch(s, { batchSize: 64, chunkRows: 100, windowBytes: 1 })).rejects.toThrow(
      `${path}: row 777 has a non-finite value (NaN) at column 3; remove or fix that row`,
    );
    await s.close();
  });

  it('rejects bad batch options', async () => {
    const { memmap } = await makeFiles();
    const s = await openEmbeddingStream(memmap.path);
    await expect(epoch(s, { batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(epoch(s, { batchSize: 4, chunkRows: 1.5 })).rejects.toThrow(/chunkRows must be a positive integer/);
    await s.close();
  });
});
