/**
 * safetensors encode/decode on bytes (no file IO). Layout: u64 little-endian header length N, N bytes of
 * UTF-8 JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}, then the data
 * section (offsets are relative to its start). Reads F32, F16, BF16, F64 (converted to float32); writes F32.
 * Errors are one line and start with the `context` (e.g. the file name).
 */

import { FileFormatError } from './errors.js';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64';

const ITEM_SIZE: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
/** Python's safetensors refuses headers above 100 MB; so do we. */
const MAX_HEADER_BYTES = 100_000_000;

/** One tensor's header entry; begin/end are absolute byte offsets in the file. */
export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  tensors: Record<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  /** Byte offset of the data section (8 + header length). */
  dataOffset: number;
}

export interface DecodedTensor {
  /** The stored dtype (the data is always returned as float32). */
  dtype: string;
  shape: number[];
  data: Float32Array;
}

export interface TensorToEncode {
  shape: number[];
  data: Float32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Header length from the first 8 bytes (u64 LE). Throws when it is implausible; `fileSize`, when given,
 * must hold the header.
 */
export function safetensorsHeaderLength(first8: Uint8Array, context = 'safetensors', fileSize?: number): number {
  const size = fileSize ?? first8.length;
  if (first8.length < 8 || size < 8) throw new FileFormatError(context, `truncated safetensors file (${size} bytes; at least 8 needed for the header length)`);
  const dv = new DataView(first8.buffer, first8.byteOffset, 8);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const n = hi * 4294967296 + lo;
  if (hi !== 0 || n > MAX_HEADER_BYTES) throw new FileFormatError(context, `corrupt safetensors header (header length ${n} is implausible)`);
  if (n === 0) throw new FileFormatError(context, `corrupt safetensors header (empty header)`);
  if (8 + n > size) throw new FileFormatError(context, `truncated safetensors file (header says ${n} bytes but only ${size - 8} follow)`);
  return n;
}

function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Parse the header. `bytes` needs to hold at least the first 8 + N bytes; `fileSize` (default bytes.length) is
 * the whole file's size, used to check that every tensor's data lies inside the file.
 */
export function parseSafetensorsHeader(bytes: Uint8Array, context = 'safetensors', fileSize = bytes.length): SafetensorsHeader {
  const n = safetensorsHeaderLength(bytes, context, fileSize);
  if (bytes.length < 8 + n) throw new FileFormatError(context, `need the first ${8 + n} bytes to parse the header, got ${bytes.length}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new FileFormatError(context, `corrupt safetensors header (not valid UTF-8 JSON: ${oneLine(e)})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new FileFormatError(context, `corrupt safetensors header (not a JSON object)`);
  const dataOffset = 8 + n;
  const dataLength = fileSize - dataOffset;
  const tensors: Record<string, SafetensorsEntry> = {};
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new FileFormatError(context, `corrupt safetensors header (__metadata__ is not an object)`);
      metadata = {};
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new FileFormatError(context, `corrupt safetensors header (__metadata__.${k} is not a string)`);
        metadata[k] = v;
      }
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e === null || typeof e !== 'object') throw new FileFormatError(context, `corrupt safetensors header (entry '${name}' is not an object)`);
    if (typeof e.dtype !== 'string' || !(e.dtype in ITEM_SIZE)) throw new FileFormatError(context, `corrupt safetensors header (tensor '${name}' has unknown dtype ${JSON.stringify(e.dtype)})`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new FileFormatError(context, `corrupt safetensors header (tensor '${name}' has an invalid shape ${JSON.stringify(e.shape)})`);
    }
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[0] > off[1]) {
      throw new FileFormatError(context, `corrupt safetensors header (tensor '${name}' has invalid data_offsets ${JSON.stringify(off)})`);
    }
    const shape = e.shape as number[];
    const expected = numel(shape) * ITEM_SIZE[e.dtype];
    if (off[1] - off[0] !== expected) {
      throw new FileFormatError(context, `corrupt safetensors header (tensor '${name}' ${e.dtype} [${shape.join(', ')}] needs ${expected} bytes, data_offsets span ${off[1] - off[0]})`);
    }
    if (off[1] > dataLength) {
      throw new FileFormatError(context, `truncated safetensors file (tensor '${name}' ends at data byte ${off[1]} but the data section has ${dataLength} bytes)`);
    }
    tensors[name] = { dtype: e.dtype, shape: shape.slice(), begin: dataOffset + off[0], end: dataOffset + off[1] };
  }
  checkDataCoverage(tensors, dataOffset, dataLength, context);
  return { tensors, metadata, dataOffset };
}

/**
 * The format's rule: the tensors' byte ranges tile the data section exactly, no overlap (two tensors sharing
 * bytes) and no gap (bytes no tensor owns, where a polyglot file could hide), and nothing after the last.
 */
function checkDataCoverage(tensors: Record<string, SafetensorsEntry>, dataOffset: number, dataLength: number, context: string): void {
  const ranges = Object.entries(tensors).sort(([, a], [, b]) => a.begin - b.begin || a.end - b.end);
  let at = dataOffset;
  let previous = '';
  for (const [name, t] of ranges) {
    if (t.begin < at) throw new FileFormatError(context, `corrupt safetensors header (tensor '${name}' overlaps '${previous}': data_offsets begin at ${t.begin - dataOffset}, before ${at - dataOffset})`);
    if (t.begin > at) throw new FileFormatError(context, `corrupt safetensors header (bytes ${at - dataOffset}..${t.begin - dataOffset} before tensor '${name}' belong to no tensor)`);
    at = t.end;
    previous = name;
  }
  if (at !== dataOffset + dataLength) throw new FileFormatError(context, `corrupt safetensors header (the data section has ${dataLength} bytes but its tensors end at ${at - dataOffset})`);
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** IEEE half -> float: sign * 2^(e-15) * (1 + m/1024), subnormals 2^-14 * m/1024. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Convert one tensor's raw little-endian bytes to float32. */
export function decodeTensorBytes(dtype: string, bytes: Uint8Array, context = 'safetensors', name = 'tensor'): Float32Array {
  const size = ITEM_SIZE[dtype];
  if (!size) throw new FileFormatError(context, `tensor '${name}' has unknown dtype ${dtype}`);
  if (bytes.length % size !== 0) throw new FileFormatError(context, `tensor '${name}' has ${bytes.length} bytes, not a multiple of ${size} for ${dtype}`);
  const count = bytes.length / size;
  switch (dtype) {
    case 'F32': {
      // new Uint8Array(bytes) is an aligned copy of exactly these bytes (a Node Buffer's slice() would be a view)
      if (LITTLE_ENDIAN) return new Float32Array(new Uint8Array(bytes).buffer, 0, count);
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      return Float32Array.from({ length: count }, (_, i) => dv.getFloat32(4 * i, true));
    }
    case 'F64': {
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = dv.getFloat64(8 * i, true);
      return out;
    }
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(bytes[2 * i] | (bytes[2 * i + 1] << 8));
      return out;
    }
    case 'BF16': {
      // bfloat16 is the high half of a float32: bits << 16
      const bits = new Uint32Array(count);
      for (let i = 0; i < count; i++) bits[i] = ((bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16) >>> 0;
      return new Float32Array(bits.buffer);
    }
    default:
      throw new FileFormatError(context, `tensor '${name}' has dtype ${dtype}; only F32, F16, BF16 and F64 can be read`);
  }
}

/** Decode a whole safetensors file held in memory; every tensor is returned as float32. */
export function decodeSafetensors(bytes: Uint8Array, context = 'safetensors'): { tensors: Record<string, DecodedTensor>; metadata: Record<string, string> } {
  const header = parseSafetensorsHeader(bytes, context);
  const tensors: Record<string, DecodedTensor> = {};
  for (const [name, e] of Object.entries(header.tensors)) {
    tensors[name] = { dtype: e.dtype, shape: e.shape, data: decodeTensorBytes(e.dtype, bytes.subarray(e.begin, e.end), context, name) };
  }
  return { tensors, metadata: header.metadata };
}

/** Encode float32 tensors (in the given key order) and optional string metadata as safetensors bytes (F32). */
export function encodeSafetensors(tensors: Record<string, TensorToEncode>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new FileFormatError('safetensors', `metadata value '${k}' must be a string`);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new FileFormatError('safetensors', `'__metadata__' is not a valid tensor name`);
    if (!(t.data instanceof Float32Array)) throw new FileFormatError('safetensors', `tensor '${name}' must be a Float32Array`);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0) || numel(t.shape) !== t.data.length) {
      throw new FileFormatError('safetensors', `tensor '${name}' has ${t.data.length} values but shape [${t.shape.join(', ')}]`);
    }
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * t.data.length] };
    offset += 4 * t.data.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8; // pad with spaces so the data section is 8-byte aligned
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, json.length, true); // u64 LE header length (high word 0)
  dv.setUint32(4, 0, true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const t of Object.values(tensors)) {
    if (LITTLE_ENDIAN) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    else for (let i = 0; i < t.data.length; i++) dv.setFloat32(pos + 4 * i, t.data[i], true);
    pos += t.data.byteLength;
  }
  return out;
}
