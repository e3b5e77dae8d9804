import type { Matrix } from '@msae/core';
import { IoError } from './io-error.js';
import { float32LittleEndianBytes } from './element-decoding.js';
import { assertFiniteRows } from './finite-rows.js';
import { encodeNpyHeader } from './npy-header.js';

/** Check a matrix before writing it: integral shape, data length rows*cols, dim > 0, no NaN/Inf row. */
export function checkWritableMatrix(file: string, m: Matrix): void {
  if (!(m.data instanceof Float32Array)) throw new IoError(file, 'matrix data must be a Float32Array');
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 0 || m.cols <= 0) {
    throw new IoError(file, `bad matrix shape [${m.rows}, ${m.cols}]`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new IoError(file, `matrix data has ${m.data.length} values, shape [${m.rows}, ${m.cols}] needs ${m.rows * m.cols}`);
  }
  assertFiniteRows(file, m.data, m.cols);
}

/** The pieces of a .npy file (v1.0 header, or v2.0 for huge headers; <f4, C order): header, data. */
export function npyParts(m: Matrix): Uint8Array[] {
  return [encodeNpyHeader([m.rows, m.cols], '<f4'), float32LittleEndianBytes(m.data)];
}

/** Encode a matrix as a .npy file (<f4, C order). */
export function encodeNpy(m: Matrix): Uint8Array {
  return concatBytes(npyParts(m));
}

/** Encode a matrix as the paper's headerless float32 memmap (name it `<name>_<rows>_<cols>.npy`). */
export function encodePaperMemmap(m: Matrix): Uint8Array {
  return float32LittleEndianBytes(m.data).slice();
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
