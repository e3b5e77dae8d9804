import { isMsaeError } from '@msae/core';
import { parseSafetensorsHeader, safetensorsHeaderLength } from '@msae/core/internal';
import { IoError } from './io-error.js';
import type { ElementType } from './element-decoding.js';

/** One tensor of a safetensors header; `begin`/`end` are absolute byte offsets in the file. */
export interface SafetensorsTensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Safetensors dtypes an embedding can be read from, and the element type each converts from. */
export const SAFETENSORS_ELEMENT_TYPES: Record<string, ElementType> = { F16: 'f2', BF16: 'bf16', F32: 'f4', F64: 'f8' };

/** True when the first bytes look like a safetensors header: a plausible u64 length, then `{`. */
export function looksLikeSafetensors(prefix: Uint8Array, fileSize: number): boolean {
  if (prefix.byteLength < 9) return false;
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  return n >= 2n && n <= BigInt(Math.min(fileSize - 8, 100_000_000)) && prefix[8] === 0x7b;
}

/** Bytes from the file start needed to parse its safetensors header: 8 + header length. */
export function safetensorsHeaderBytes(prefix: Uint8Array, file: string, fileSize: number): number {
  return withFileErrors(file, () => 8 + safetensorsHeaderLength(prefix, file, fileSize));
}

/**
 * The tensors of a safetensors header (sorted by offset), parsed by @msae/core from the first
 * `safetensorsHeaderBytes` bytes only, so huge files can be read by positioned reads.
 */
export function safetensorsEntries(header: Uint8Array, file: string, fileSize: number): SafetensorsTensorEntry[] {
  const parsed = withFileErrors(file, () => parseSafetensorsHeader(header, file, fileSize));
  return Object.entries(parsed.tensors)
    .map(([name, e]) => ({ name, dtype: e.dtype, shape: e.shape, begin: e.begin, end: e.end }))
    .sort((a, b) => a.begin - b.begin);
}

/** Run core code and rethrow its typed errors (`MsaeError`) as IoErrors about `file`; bugs pass through. */
function withFileErrors<T>(file: string, body: () => T): T {
  try {
    return body();
  } catch (err) {
    throw isMsaeError(err) ? new IoError(file, err.problem, { cause: err }) : err;
  }
}
