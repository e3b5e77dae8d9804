import { ArgumentError } from '@msae/core';
import { IoError } from './io-error.js';
import type { ElementType } from './element-decoding.js';

/** The 6 magic bytes every .npy file starts with: \x93NUMPY. */
export const NPY_MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59);

/** A parsed .npy header (format versions 1.0, 2.0 and 3.0). */
export interface NpyHeader {
  version: `${number}.${number}`;
  /** The dtype string as written, e.g. `<f4`. */
  descr: string;
  /** Element type the data converts from. */
  dtype: ElementType;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the first data byte (magic + version + length field + header text). */
  dataOffset: number;
}

const SUPPORTED_DESCR: Record<string, ElementType> = { '<f2': 'f2', '<f4': 'f4', '<f8': 'f8' };

/** True when the bytes start with the .npy magic. */
export function hasNpyMagic(bytes: Uint8Array): boolean {
  if (bytes.byteLength < NPY_MAGIC.length) return false;
  return NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Total header size (the data offset) of a .npy file, from its first 12 bytes (fewer are enough
 * for version 1.0). Throws a one-line error for an unknown version or a file cut inside the header.
 */
export function npyDataOffset(prefix: Uint8Array, file: string): number {
  if (!hasNpyMagic(prefix)) throw new IoError(file, 'not a .npy file (missing \\x93NUMPY magic)');
  if (prefix.byteLength < 10) throw new IoError(file, `truncated .npy header (${prefix.byteLength} bytes)`);
  const major = prefix[6];
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (major === 1) return 10 + view.getUint16(8, true);
  if (major === 2 || major === 3) {
    if (prefix.byteLength < 12) throw new IoError(file, `truncated .npy header (${prefix.byteLength} bytes)`);
    return 12 + view.getUint32(8, true);
  }
  throw new IoError(file, `unsupported .npy format version ${major}.${prefix[7]} (supported: 1.0, 2.0, 3.0)`);
}

/** Parse the .npy header at the start of `bytes` (which must hold at least the whole header). */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  const dataOffset = npyDataOffset(bytes, file);
  if (bytes.byteLength < dataOffset) {
    throw new IoError(file, `truncated .npy header: needs ${dataOffset} bytes, file has ${bytes.byteLength}`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  const textStart = major === 1 ? 10 : 12;
  // Versions 1.0 and 2.0 store the header in latin1, 3.0 in utf8.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(textStart, dataOffset));

  if (/['"]descr['"]\s*:\s*\[/.test(text)) {
    throw new IoError(file, 'structured .npy dtypes are not supported (expected <f2, <f4 or <f8)');
  }
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new IoError(file, `corrupt .npy header: ${JSON.stringify(text.trim()).slice(0, 120)}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s.length > 0)
    .map((s) => {
      if (!/^\d+$/.test(s)) throw new IoError(file, `corrupt .npy header: bad shape (${shapeText})`);
      return Number(s);
    });

  const dtype = SUPPORTED_DESCR[descr];
  if (!dtype) {
    if (/^>[fiu]/.test(descr)) {
      throw new IoError(file, `big-endian dtype '${descr}' is not supported; save with arr.astype('<f4')`);
    }
    throw new IoError(file, `unsupported dtype '${descr}' (supported: <f2, <f4, <f8); save with arr.astype('<f4')`);
  }
  return { version: `${major}.${minor}`, descr, dtype, fortranOrder: fortran === 'True', shape, dataOffset };
}

/**
 * Encode a .npy header for a C-order little-endian float32 array of `shape`: version 1.0 when the
 * header fits in 65535 bytes, else 2.0; padded with spaces and a final newline so the data starts
 * on a 64-byte boundary (what numpy writes).
 */
export function encodeNpyHeader(shape: readonly number[], descr = '<f4'): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  for (const major of [1, 2]) {
    const fixed = major === 1 ? 10 : 12;
    const unpadded = fixed + dict.length + 1; // + the final '\n'
    const total = Math.ceil(unpadded / 64) * 64;
    const headerLength = total - fixed;
    if (major === 1 && headerLength > 0xffff) continue;
    const out = new Uint8Array(total);
    out.set(NPY_MAGIC, 0);
    out[6] = major;
    out[7] = 0;
    const view = new DataView(out.buffer);
    if (major === 1) view.setUint16(8, headerLength, true);
    else view.setUint32(8, headerLength, true);
    const text = dict + ' '.repeat(total - unpadded) + '\n';
    for (let i = 0; i < text.length; i++) out[fixed + i] = text.charCodeAt(i);
    return out;
  }
  throw new ArgumentError('', 'unreachable');
}
