// Hand-built file bytes for the IO tests, written independently of the code under test.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** binary16 bit patterns and their exact values (IEEE 754), as a 3x4 matrix in row-major order. */
export const HALF_CASES: [number, number][] = [
  [0x3c00, 1],
  [0xc000, -2],
  [0x3800, 0.5],
  [0x3400, 0.25],
  [0x4200, 3],
  [0x7bff, 65504],
  [0x0001, 2 ** -24],
  [0x0000, 0],
  [0xba00, -0.75],
  [0x3e00, 1.5],
  [0x6400, 1024],
  [0x8400, -(2 ** -14)],
];
export const ROWS = 3;
export const COLS = 4;
/** The expected row-major matrix. */
export const VALUES = HALF_CASES.map(([, v]) => v);

export type Dtype = 'f2' | 'f4' | 'f8';

/** Little-endian element bytes of `values` (f2 from the bit table above). */
export function elementBytes(values: number[], dtype: Dtype): Uint8Array {
  const size = dtype === 'f2' ? 2 : dtype === 'f4' ? 4 : 8;
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    if (dtype === 'f4') view.setFloat32(i * 4, v, true);
    else if (dtype === 'f8') view.setFloat64(i * 8, v, true);
    else {
      const bits = HALF_CASES.find(([, hv]) => Object.is(hv, v))?.[0];
      if (bits === undefined) throw new Error(`no half pattern for ${v}`);
      view.setUint16(i * 2, bits, true);
    }
  });
  return out;
}

/** Column-major copy of a row-major rows x cols list. */
export function toColumnMajor(values: number[], rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) out.push(values[r * cols + c]);
  return out;
}

/**
 * A .npy file: magic, version, little-endian header length (u16 for 1.x, u32 for 2.x/3.x), the
 * header text padded with spaces to `align` bytes (then '\n'), then `body`.
 */
export function npyFile(opts: {
  major?: number;
  header?: string;
  descr?: string;
  fortran?: boolean;
  shape?: string;
  body: Uint8Array;
  align?: number;
}): Uint8Array {
  const major = opts.major ?? 1;
  const header =
    opts.header ??
    `{'descr': '${opts.descr ?? '<f4'}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${opts.shape ?? '(3, 4)'}, }`;
  const fixed = major === 1 ? 10 : 12;
  const align = opts.align ?? 64;
  const unpadded = fixed + header.length + 1;
  const total = Math.ceil(unpadded / align) * align;
  const text = new TextEncoder().encode(header + ' '.repeat(total - unpadded) + '\n');
  const out = new Uint8Array(fixed + text.byteLength + opts.body.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, text.byteLength, true);
  else view.setUint32(8, text.byteLength, true);
  out.set(text, fixed);
  out.set(opts.body, fixed + text.byteLength);
  return out;
}

/** A safetensors file: u64 header length, JSON header, then the data bytes. */
export function safetensorsFile(header: Record<string, unknown>, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}

/** A fresh temporary directory and a cleanup function. */
export async function tempDir(): Promise<{ dir: string; file: (name: string, bytes?: Uint8Array) => Promise<string>; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'msae-io-'));
  return {
    dir,
    file: async (name, bytes) => {
      const path = join(dir, name);
      if (bytes) await writeFile(path, bytes);
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
