import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmbeddings, readEmbeddings } from '../src/index.js';
import { COLS, ROWS, VALUES, elementBytes, npyFile, tempDir, toColumnMajor, type Dtype } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

const dtypes: [Dtype, string][] = [
  ['f2', '<f2'],
  ['f4', '<f4'],
  ['f8', '<f8'],
];

describe('.npy reading', () => {
  for (const major of [1, 2, 3]) {
    for (const [dtype, descr] of dtypes) {
      for (const fortran of [false, true]) {
        const label = `v${major}.0 ${descr} ${fortran ? 'Fortran' : 'C'} order`;
        it(label, async () => {
          const laid = fortran ? toColumnMajor(VALUES, ROWS, COLS) : VALUES;
          const bytes = npyFile({ major, descr, fortran, body: elementBytes(laid, dtype) });
          const path = await tmp.file(`m_${major}_${dtype}_${fortran}.npy`, bytes);
          const fromFile = await readEmbeddings(path);
          const fromBytes = parseEmbeddings(bytes, 'fetched.npy');
          for (const m of [fromFile, fromBytes]) {
            expect(m.rows).toBe(ROWS);
            expect(m.cols).toBe(COLS);
            expect(Array.from(m.data)).toEqual(VALUES.map((v) => Math.fround(v)));
            expect(m.layout.order).toBe(fortran ? 'F' : 'C');
            expect(m.layout.dtype).toBe(dtype);
          }
        });
      }
    }
  }

  it('f8 values round to the nearest float32', () => {
    const values = [0.1, 1 / 3, -1e-8, 123456.789];
    const m = parseEmbeddings(npyFile({ descr: '<f8', shape: '(2, 2)', body: elementBytes(values, 'f8') }), 'x.npy');
    expect(Array.from(m.data)).toEqual(values.map(Math.fround));
  });

  it('reads a header padded to 16 bytes (old numpy) with data at an unaligned offset', async () => {
    const bytes = npyFile({ body: elementBytes(VALUES, 'f4'), align: 1, header: "{'descr':'<f4','fortran_order':False,'shape':(3,4)}" });
    expect((bytes.byteLength - 48) % 4).not.toBe(0); // data offset not a multiple of 4
    const path = await tmp.file('unaligned.npy', bytes);
    expect(Array.from((await readEmbeddings(path)).data)).toEqual(VALUES);
    expect(Array.from(parseEmbeddings(bytes, 'unaligned.npy').data)).toEqual(VALUES);
  });

  it('accepts Python 2 long shapes and a 0-row matrix', () => {
    const m = parseEmbeddings(npyFile({ shape: '(3L, 4L)', body: elementBytes(VALUES, 'f4') }), 'py2.npy');
    expect([m.rows, m.cols]).toEqual([3, 4]);
    const empty = parseEmbeddings(npyFile({ shape: '(0, 4)', body: new Uint8Array(0) }), 'empty.npy');
    expect([empty.rows, empty.cols, empty.data.length]).toEqual([0, 4, 0]);
  });

  it('a real .npy named like a memmap is read by its header', async () => {
    const path = await tmp.file('fake_7_9.npy', npyFile({ body: elementBytes(VALUES, 'f4') }));
    const m = await readEmbeddings(path);
    expect([m.rows, m.cols, m.layout.format]).toEqual([3, 4, 'npy']);
  });
});
