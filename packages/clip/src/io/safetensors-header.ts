import { EmbeddingFileError } from './embedding-file-error.js';
import type { ElementType } from './element-decoding.js';

/** One tensor entry of a safetensors header; offsets are absolute byte offsets in the file. */
export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Safetensors dtypes an embedding can be read from. */
export const SAFETENSORS_ELEMENT_TYPES: Record<string, ElementType> = { F16: 'f2', BF16: 'bf16', F32: 'f4', F64: 'f8' };

/** Largest header the format allows (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Bytes needed to parse a safetensors header (8 + JSON length), from the first 8 bytes.
 * Only the header is parsed here (for positioned reads of files larger than memory); whole-file
 * encoding and decoding use @msae/core's safetensors codec.
 */
export function safetensorsHeaderLength(prefix: Uint8Array, file: string, fileSize: number): number {
  if (prefix.byteLength < 8) throw new EmbeddingFileError(file, `truncated safetensors file (${fileSize} bytes, header size needs 8)`);
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw new EmbeddingFileError(file, `corrupt safetensors header: header size ${n} is too large`);
  const total = 8 + Number(n);
  if (total > fileSize) {
    throw new EmbeddingFileError(file, `truncated safetensors file: header needs ${total} bytes, file has ${fileSize}`);
  }
  return total;
}

/** True when the first bytes look like a safetensors header: u64 length then `{`. */
export function looksLikeSafetensors(prefix: Uint8Array, fileSize: number): boolean {
  if (prefix.byteLength < 9) return false;
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  return n >= 2n && n <= BigInt(Math.min(fileSize - 8, MAX_HEADER_BYTES)) && prefix[8] === 0x7b;
}

/** Parse the header (`bytes` holds at least 8 + JSON length bytes) into entries sorted by offset. */
export function parseSafetensorsHeader(
  bytes: Uint8Array,
  file: string,
  fileSize: number,
): { entries: SafetensorsEntry[]; metadata: Record<string, string> } {
  const total = safetensorsHeaderLength(bytes, file, fileSize);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.subarray(8, total)));
  } catch {
    throw new EmbeddingFileError(file, 'corrupt safetensors header: not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new EmbeddingFileError(file, 'corrupt safetensors header: not a JSON object');
  }
  const entries: SafetensorsEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = (value ?? {}) as Record<string, string>;
      continue;
    }
    const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const offsets = v?.data_offsets;
    if (
      typeof v?.dtype !== 'string' ||
      !Array.isArray(v.shape) ||
      !v.shape.every((d) => Number.isInteger(d) && d >= 0) ||
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0)
    ) {
      throw new EmbeddingFileError(file, `corrupt safetensors header: bad entry for tensor '${name}'`);
    }
    const begin = total + (offsets[0] as number);
    const end = total + (offsets[1] as number);
    if (end < begin) throw new EmbeddingFileError(file, `corrupt safetensors header: tensor '${name}' ends before it begins`);
    if (end > fileSize) {
      throw new EmbeddingFileError(file, `truncated safetensors file: tensor '${name}' ends at byte ${end}, file has ${fileSize}`);
    }
    entries.push({ name, dtype: v.dtype, shape: v.shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin);
  return { entries, metadata };
}
