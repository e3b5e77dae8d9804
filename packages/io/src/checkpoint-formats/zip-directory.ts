/**
 * The entries of a zip archive held in memory, read from its central directory (zip64 included) without
 * inflating anything, and one entry's bytes inflated on request with a hard cap: torch.save files are zips, and
 * an untrusted one may hold entries that inflate to far more than they declare (a zip bomb). Stored entries
 * are returned as views (no copy); deflated ones are inflated by zlib with `maxOutputLength` and refused as
 * soon as the output passes the cap, so memory and time stay bounded by the cap, not by the entry.
 */
import { inflateRawSync } from 'node:zlib';
import { IoError } from '../io-error.js';

/** One file of the archive as its central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  compressedSize: number;
  /** The uncompressed size the archive declares (not trusted: inflating is capped independently). */
  size: number;
  /** Offset of the entry's local header. */
  headerOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The archive's entries by name. One-line IoErrors about `file` when the directory is corrupt. */
export function readZipDirectory(bytes: Uint8Array, file: string): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (what: string) => new IoError(file, `corrupt PyTorch zip (${what})`);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end of central directory record');
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === EOCD64_LOCATOR) {
    const at = safeNumber(view.getBigUint64(eocd - 12, true));
    if (at + 56 > bytes.length || view.getUint32(at, true) !== EOCD64) throw corrupt('bad zip64 end of central directory record');
    count = safeNumber(view.getBigUint64(at + 32, true));
    offset = safeNumber(view.getBigUint64(at + 48, true));
  }
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL) throw corrupt(`central directory entry ${i} is out of place`);
    const method = view.getUint16(offset + 10, true);
    let compressedSize = view.getUint32(offset + 20, true);
    let size = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let headerOffset = view.getUint32(offset + 42, true);
    const end = offset + 46 + nameLength + extraLength + commentLength;
    if (end > bytes.length) throw corrupt(`central directory entry ${i} runs past the end of the file`);
    const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    // zip64 extra field (id 1): the 8-byte values whose 32-bit fields are 0xffffffff, in this order
    for (let x = offset + 46 + nameLength; x + 4 <= offset + 46 + nameLength + extraLength; ) {
      const id = view.getUint16(x, true);
      const length = view.getUint16(x + 2, true);
      if (id === 1) {
        let p = x + 4;
        const next = () => {
          if (p + 8 > x + 4 + length) throw corrupt(`entry ${name} has a short zip64 field`);
          const v = safeNumber(view.getBigUint64(p, true));
          p += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (headerOffset === 0xffffffff) headerOffset = next();
      }
      x += 4 + length;
    }
    entries.set(name, { name, method, compressedSize, size, headerOffset });
    offset = end;
  }
  return entries;
}

/**
 * The bytes of `entry`, refused (one line about `file`) when it is not exactly `expected` bytes long: its
 * declared size is checked first, then a deflated entry is inflated piece by piece and stopped as soon as
 * its output passes `expected`.
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, expected: number, file: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.headerOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw new IoError(file, `corrupt PyTorch zip (entry ${entry.name} has no local header)`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new IoError(file, `corrupt PyTorch zip (entry ${entry.name} runs past the end of the file)`);
  if (entry.size !== expected) throw new IoError(file, `zip entry ${entry.name} declares ${entry.size} bytes but the pickle says ${expected}; refusing to read it`);
  const data = bytes.subarray(start, end);
  if (entry.method === 0) {
    if (entry.compressedSize !== expected) throw new IoError(file, `zip entry ${entry.name} stores ${entry.compressedSize} bytes but the pickle says ${expected}`);
    return data;
  }
  if (entry.method !== 8) throw new IoError(file, `zip entry ${entry.name} uses compression method ${entry.method}, which msae cannot read (only stored and deflated)`);
  return inflateCapped(data, expected, entry.name, file);
}

/** Inflate raw deflate `data` into exactly `expected` bytes; zlib stops as soon as the output would pass it. */
function inflateCapped(data: Uint8Array, expected: number, name: string, file: string): Uint8Array {
  let out: Buffer;
  try {
    out = inflateRawSync(data, { maxOutputLength: Math.max(1, expected) });
  } catch (err) {
    if ((err as { code?: unknown })?.code === 'ERR_BUFFER_TOO_LARGE') {
      throw new IoError(file, `zip entry ${name} inflates past the ${expected} bytes it declares (a zip bomb?); refusing to read it`, { cause: err });
    }
    throw new IoError(file, `corrupt PyTorch zip (entry ${name}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`, { cause: err });
  }
  if (out.length !== expected) throw new IoError(file, `zip entry ${name} inflates to ${out.length} bytes, not the ${expected} it declares`);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  return Number(v);
}
