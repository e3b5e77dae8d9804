import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingFileError, encodeNpy, parseEmbeddings, readEmbeddings, writeEmbeddings } from '../src/index.js';
import { VALUES, safetensorsFile, tempDir } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

function sample(rows: number, cols: number, seed = 1): { data: Float32Array; rows: number; cols: number } {
  const data = new Float32Array(rows * cols);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = s / 2147483648 - 0.5;
  }
  return { data, rows, cols };
}

const latin1 = (b: Uint8Array) => new TextDecoder('latin1').decode(b);

describe('writing embeddings', () => {
  it('.npy: numpy-style v1.0 header padded to 64 bytes, then the float32 data', async () => {
    const m = sample(5, 3);
    const path = `${tmp.dir}/out.npy`;
    await writeEmbeddings(path, m);
    const bytes = new Uint8Array(await readFile(path));
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (5, 3), }";
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    expect(bytes[8] | (bytes[9] << 8)).toBe(118); // 128 - 10
    expect(latin1(bytes.subarray(10, 128))).toBe(header + ' '.repeat(128 - 10 - header.length - 1) + '\n');
    expect(bytes.byteLength).toBe(128 + 5 * 3 * 4);
    expect(Array.from(new Float32Array(bytes.slice(128).buffer))).toEqual(Array.from(m.data));
    const back = await readEmbeddings(path);
    expect([back.rows, back.cols]).toEqual([5, 3]);
    expect(back.data).toEqual(m.data);
    expect(encodeNpy(m)).toEqual(bytes);
  });

  it('.npy data starts on a 64-byte boundary for any shape', () => {
    for (const cols of [1, 768, 123456789]) {
      const bytes = encodeNpy({ data: new Float32Array(0), rows: 0, cols });
      const offset = 10 + (bytes[8] | (bytes[9] << 8));
      expect(offset % 64).toBe(0);
      expect(bytes.byteLength).toBe(offset);
      const back = parseEmbeddings(bytes, 'x.npy');
      expect([back.rows, back.cols]).toEqual([0, cols]);
    }
  });

  it('paper memmap: headerless bytes, name must encode the shape', async () => {
    const m = sample(4, 6, 7);
    const path = `${tmp.dir}/val_image_4_6.npy`;
    await writeEmbeddings(path, m, { format: 'memmap' });
    const bytes = new Uint8Array(await readFile(path));
    expect(bytes.byteLength).toBe(4 * 6 * 4);
    expect(new Float32Array(bytes.buffer)).toEqual(m.data);
    const back = await readEmbeddings(path);
    expect(back.layout.format).toBe('memmap');
    expect(back.data).toEqual(m.data);
    await expect(writeEmbeddings(`${tmp.dir}/val_image_4_7.npy`, m, { format: 'memmap' })).rejects.toThrow(
      /val_image_4_7\.npy: a headerless memmap of shape \[4, 6\] must be named <name>_4_6\.npy/,
    );
  });

  it('safetensors: one F32 tensor, read back by name or as the only matrix', async () => {
    const m = sample(3, 5, 3);
    const path = `${tmp.dir}/emb.safetensors`;
    await writeEmbeddings(path, m, { tensor: 'image_embeds', metadata: { model: 'tiny' } });
    const bytes = new Uint8Array(await readFile(path));
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.image_embeds).toEqual({ dtype: 'F32', shape: [3, 5], data_offsets: [0, 60] });
    expect(header.__metadata__).toEqual({ model: 'tiny' });
    expect((await readEmbeddings(path)).data).toEqual(m.data);
    expect((await readEmbeddings(path, { tensor: 'image_embeds' })).data).toEqual(m.data);
  });

  it('safetensors F16, BF16 and F64 tensors convert to float32; `embeddings` is preferred', () => {
    const half = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff]).buffer);
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc040, 0x3e00, 0x4049]).buffer); // 1, -3, 0.125, 3.140625
    const f64 = new Uint8Array(new Float64Array([0.1, -2.5, 1e-3, 7]).buffer);
    const data = new Uint8Array(8 + 8 + 32);
    data.set(half, 0);
    data.set(bf16, 8);
    data.set(f64, 16);
    const bytes = safetensorsFile(
      {
        __metadata__: { a: 'b' },
        h: { dtype: 'F16', shape: [2, 2], data_offsets: [0, 8] },
        b: { dtype: 'BF16', shape: [2, 2], data_offsets: [8, 16] },
        embeddings: { dtype: 'F64', shape: [2, 2], data_offsets: [16, 48] },
      },
      data,
    );
    expect(Array.from(parseEmbeddings(bytes, 'x.safetensors', { tensor: 'h' }).data)).toEqual([1, -2, 0.5, 65504]);
    expect(Array.from(parseEmbeddings(bytes, 'x.safetensors', { tensor: 'b' }).data)).toEqual([1, -3, 0.125, 3.140625]);
    expect(Array.from(parseEmbeddings(bytes, 'x.safetensors').data)).toEqual([0.1, -2.5, 1e-3, 7].map(Math.fround));
    // Without the extension, content sniffing finds the safetensors header.
    expect(parseEmbeddings(bytes, 'blob.bin').layout.tensor).toBe('embeddings');
  });

  it('rejects NaN/Inf rows, bad shapes and unknown extensions without creating the file', async () => {
    const m = sample(4, 3);
    m.data[3 * 3 + 2] = Infinity;
    const path = `${tmp.dir}/bad.npy`;
    await expect(writeEmbeddings(path, m)).rejects.toThrow(`${path}: row 3 has a non-finite value (Infinity) at column 2; remove or fix that row`);
    await expect(writeEmbeddings(path, { data: new Float32Array(5), rows: 2, cols: 3 })).rejects.toThrow(
      `${path}: matrix data has 5 values, shape [2, 3] needs 6`,
    );
    await expect(writeEmbeddings(`${tmp.dir}/x.csv`, sample(1, 1))).rejects.toThrow(/x\.csv: cannot tell the format from the extension/);
    expect(await readdir(tmp.dir)).not.toContain('bad.npy');
  });

  it('write failures leave no temporary file and keep the old content', async () => {
    const missing = `${tmp.dir}/no/such/dir/out.npy`;
    const err = await writeEmbeddings(missing, sample(2, 2)).catch((e) => e);
    expect(err).toBeInstanceOf(EmbeddingFileError);
    expect(err.message).toBe(`${missing}: cannot write: directory ${tmp.dir}/no/such/dir does not exist`);

    const box = `${tmp.dir}/box`;
    await mkdir(`${box}/taken.npy/inside`, { recursive: true }); // rename over a non-empty directory fails
    const e2 = await writeEmbeddings(`${box}/taken.npy`, sample(2, 2)).catch((e) => e);
    expect(e2).toBeInstanceOf(EmbeddingFileError);
    expect(e2.message).toMatch(/taken\.npy: cannot write: /);
    expect(await readdir(box)).toEqual(['taken.npy']);

    const keep = `${box}/keep.npy`;
    await writeFile(keep, 'old');
    await writeEmbeddings(keep, sample(2, 2)); // replaced atomically
    expect((await readEmbeddings(keep)).rows).toBe(2);
    expect((await readdir(box)).sort()).toEqual(['keep.npy', 'taken.npy']);
  });

  it('hand-built values survive a write/read round trip exactly', async () => {
    const m = { data: Float32Array.from(VALUES), rows: 3, cols: 4 };
    for (const name of ['r.npy', 'r.safetensors', 'r_3_4.npy']) {
      const path = `${tmp.dir}/${name}`;
      await writeEmbeddings(path, m, name === 'r_3_4.npy' ? { format: 'memmap' } : {});
      expect(Array.from((await readEmbeddings(path)).data)).toEqual(VALUES);
    }
  });
});
