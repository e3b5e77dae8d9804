import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingFileError, isEmbeddingFileError, parseEmbeddings, readEmbeddings } from '../src/index.js';
import { VALUES, elementBytes, npyFile, safetensorsFile, tempDir } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

/** Read `bytes` saved as `name` both from disk and in memory; both must fail with `pattern`. */
async function expectBoth(name: string, bytes: Uint8Array, pattern: RegExp, options = {}): Promise<void> {
  const path = await tmp.file(name, bytes);
  const fromFile = await readEmbeddings(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expectOneLine(fromFile, path, pattern);
  let fromBytes: unknown;
  try {
    parseEmbeddings(bytes, name, options);
  } catch (e) {
    fromBytes = e;
  }
  expectOneLine(fromBytes, name, pattern);
}

function expectOneLine(err: unknown, file: string, pattern: RegExp): void {
  expect(err).toBeInstanceOf(EmbeddingFileError);
  expect(isEmbeddingFileError(err)).toBe(true);
  const message = (err as Error).message;
  expect(message.startsWith(`${file}: `)).toBe(true);
  expect(message).not.toContain('\n');
  expect(message).toMatch(pattern);
}

const f4 = elementBytes(VALUES, 'f4');

describe('embedding file errors', () => {
  it('isEmbeddingFileError also recognizes errors from another copy of the module', () => {
    expect(isEmbeddingFileError(Object.assign(new Error('a.npy: x'), { isEmbeddingFileError: true }))).toBe(true);
    expect(isEmbeddingFileError(new Error('a.npy: x'))).toBe(false);
    const e = new EmbeddingFileError('a.npy', 'first line\nsecond line');
    expect([e.message, e.file, e.problem]).toEqual(['a.npy: first line second line', 'a.npy', 'first line second line']);
  });

  it('missing file and directory', async () => {
    const missing = `${tmp.dir}/nope.npy`;
    expectOneLine(await readEmbeddings(missing).catch((e) => e), missing, /: not found$/);
    const dir = `${tmp.dir}/adir.npy`;
    await mkdir(dir);
    expectOneLine(await readEmbeddings(dir).catch((e) => e), dir, /is a directory/);
  });

  it('empty and unrecognized files', async () => {
    await expectBoth('empty.npy', new Uint8Array(0), /empty file/);
    await expectBoth('plain.npy', new Uint8Array(64), /not a \.npy file \(no \\x93NUMPY magic\).*<name>_<N>_<D>\.npy/);
    await expectBoth('data.bin', new Uint8Array(64), /unrecognized embedding file/);
  });

  it('truncated .npy header and data, trailing bytes', async () => {
    const good = npyFile({ body: f4 });
    await expectBoth('cut-magic.npy', good.subarray(0, 8), /truncated \.npy header \(8 bytes\)/);
    await expectBoth('cut-header.npy', good.subarray(0, 40), /truncated \.npy header: needs 128 bytes, file has 40/);
    await expectBoth('cut-data.npy', good.subarray(0, good.byteLength - 5), /truncated: shape \[3, 4\] <f4 needs 48 data bytes after the 128-byte header, file has 43/);
    const longer = new Uint8Array(good.byteLength + 4);
    longer.set(good);
    await expectBoth('trailing.npy', longer, /4 unexpected bytes after the data of shape \[3, 4\] <f4/);
  });

  it('unsupported versions, dtypes and headers', async () => {
    await expectBoth('v4.npy', npyFile({ major: 4, body: f4 }), /unsupported \.npy format version 4\.0/);
    await expectBoth('big.npy', npyFile({ descr: '>f4', body: f4 }), /big-endian dtype '>f4' is not supported/);
    await expectBoth('int.npy', npyFile({ descr: '<i4', body: f4 }), /unsupported dtype '<i4' \(supported: <f2, <f4, <f8\)/);
    await expectBoth(
      'struct.npy',
      npyFile({ header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (12,), }", body: f4 }),
      /structured \.npy dtypes are not supported/,
    );
    await expectBoth('noshape.npy', npyFile({ header: "{'descr': '<f4', 'fortran_order': False}", body: f4 }), /corrupt \.npy header/);
    await expectBoth('badshape.npy', npyFile({ shape: '(3, x)', body: f4 }), /corrupt \.npy header: bad shape/);
  });

  it('wrong number of dimensions', async () => {
    await expectBoth('vec.npy', npyFile({ shape: '(12,)', body: f4 }), /expected a 2-D array \[rows, dim\], got shape \[12\]/);
    await expectBoth('cube.npy', npyFile({ shape: '(2, 2, 3)', body: f4 }), /expected a 2-D array \[rows, dim\], got shape \[2, 2, 3\]/);
    await expectBoth('scalar.npy', npyFile({ shape: '()', body: f4.subarray(0, 4) }), /got shape \[\]/);
    await expectBoth('nodim.npy', npyFile({ shape: '(3, 0)', body: new Uint8Array(0) }), /with dim > 0/);
  });

  it('NaN and Inf rows are rejected with the row index', async () => {
    const nan = [...VALUES];
    nan[2 * 4 + 1] = NaN;
    await expectBoth('nan.npy', npyFile({ body: elementBytes(nan, 'f4') }), /row 2 has a non-finite value \(NaN\) at column 1/);
    const inf = [...VALUES];
    inf[4] = -Infinity;
    await expectBoth('inf.npy', npyFile({ body: elementBytes(inf, 'f8'), descr: '<f8' }), /row 1 has a non-finite value \(-Infinity\) at column 0/);
  });

  it('paper memmap size mismatch names expected and actual size', async () => {
    await expectBoth('val_image_3_4.npy', new Uint8Array(40), /shape \[3, 4\] must be 3\*4\*4 = 48 bytes, file has 40 bytes/);
    await expectBoth('val_image_3_4.npy', new Uint8Array(52), /= 48 bytes, file has 52 bytes/);
    await expectBoth('zero_3_0.npy', new Uint8Array(0), /dimension 0/);
  });

  it('safetensors problems', async () => {
    const entry = { dtype: 'F32', shape: [3, 4], data_offsets: [0, 48] };
    const good = safetensorsFile({ embeddings: entry }, f4);
    await expectBoth('cut.safetensors', good.subarray(0, good.byteLength - 1), /truncated safetensors file \(tensor 'embeddings' ends at data byte 48 but the data section has 47 bytes\)/);
    await expectBoth('tiny.safetensors', good.subarray(0, 5), /truncated safetensors file \(5 bytes; at least 8 needed/);
    await expectBoth('cuthead.safetensors', good.subarray(0, 20), /truncated safetensors file \(header says \d+ bytes but only 12 follow\)/);
    const badJson = good.slice();
    badJson[9] = 0x3a; // ':' right after '{'
    await expectBoth('json.safetensors', badJson, /corrupt safetensors header \(not valid UTF-8 JSON: /);
    await expectBoth('entry.safetensors', safetensorsFile({ x: { dtype: 'F32', shape: [3, 4] } }, f4), /corrupt safetensors header \(tensor 'x' has invalid data_offsets undefined\)/);
    await expectBoth('name.safetensors', good, /no tensor named 'other' \(tensors: embeddings \[3, 4\]\)/, { tensor: 'other' });
    const two = safetensorsFile(
      { a: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] }, b: { dtype: 'F32', shape: [2, 4], data_offsets: [16, 48] } },
      f4,
    );
    await expectBoth('two.safetensors', two, /several 2-D tensors \(a \[2, 2\], b \[2, 4\]\) and none named 'embeddings'; name the embeddings tensor 'embeddings' or keep only one 2-D tensor/);
    await expectBoth('vec.safetensors', safetensorsFile({ v: { dtype: 'F32', shape: [12], data_offsets: [0, 48] } }, f4), /no 2-D tensor/);
    await expectBoth('int.safetensors', safetensorsFile({ v: { dtype: 'I32', shape: [3, 4], data_offsets: [0, 48] } }, f4), /dtype I32 \(supported/);
    await expectBoth('x99.safetensors', safetensorsFile({ v: { dtype: 'X99', shape: [3, 4], data_offsets: [0, 48] } }, f4), /tensor 'v' has unknown dtype "X99"/);
    await expectBoth(
      'span.safetensors',
      safetensorsFile({ v: { dtype: 'F32', shape: [3, 4], data_offsets: [0, 44] } }, f4),
      /tensor 'v' F32 \[3, 4\] needs 48 bytes, data_offsets span 44/,
    );
  });
});
