// Hostile torch.save files built byte by byte, independently of the reader: a pickle writer for the few
// opcodes torch uses (protocol 2), a zip writer that lets an entry declare any size, and a deflate bomb.
import { constants, deflateRawSync } from 'node:zlib';

/** A tensor as torch pickles it: _rebuild_tensor_v2(('storage', torch.FloatStorage, key, 'cpu', numel), offset, size, stride). */
export interface PickledTensor {
  storage: string;
  storageNumel: number;
  offset?: number;
  size: number[];
  stride: number[];
}

type PickleValue = number | string | null | PickledTensor | Map<string, PickleValue> | { [key: string]: PickleValue };

const enc = new TextEncoder();

/** Pickle (protocol 2) of nested dicts (plain objects), OrderedDicts (Maps), strings, numbers and tensors. */
export function pickle(value: PickleValue): Uint8Array {
  const out: number[] = [0x80, 0x02];
  const str = (s: string) => {
    const b = enc.encode(s);
    out.push(0x58, b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24, ...b); // BINUNICODE
  };
  const int = (n: number) => out.push(0x4a, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff); // BININT (i32)
  const global = (module: string, name: string) => out.push(0x63, ...enc.encode(`${module}\n${name}\n`)); // GLOBAL
  const tuple = (items: number[]) => {
    out.push(0x28); // MARK
    for (const i of items) int(i);
    out.push(0x74); // TUPLE
  };
  const write = (v: PickleValue): void => {
    if (v === null) out.push(0x4e); // NONE
    else if (typeof v === 'string') str(v);
    else if (typeof v === 'number') {
      out.push(0x47); // BINFLOAT, big-endian double
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, v, false);
      out.push(...b);
    } else if (v instanceof Map) {
      global('collections', 'OrderedDict');
      out.push(0x29, 0x52, 0x28); // EMPTY_TUPLE REDUCE MARK
      for (const [k, item] of v) {
        str(k);
        write(item);
      }
      out.push(0x75); // SETITEMS
    } else if ('storage' in v && typeof v.storage === 'string') {
      const t = v as PickledTensor;
      global('torch._utils', '_rebuild_tensor_v2');
      out.push(0x28); // MARK (the argument tuple)
      out.push(0x28); // MARK (the persistent id)
      str('storage');
      global('torch', 'FloatStorage');
      str(t.storage);
      str('cpu');
      int(t.storageNumel);
      out.push(0x74, 0x51); // TUPLE BINPERSID
      int(t.offset ?? 0);
      tuple(t.size);
      tuple(t.stride);
      out.push(0x89); // NEWFALSE (requires_grad)
      global('collections', 'OrderedDict');
      out.push(0x29, 0x52); // EMPTY_TUPLE REDUCE (backward hooks)
      out.push(0x74, 0x52); // TUPLE REDUCE
    } else {
      out.push(0x7d, 0x28); // EMPTY_DICT MARK
      for (const [k, item] of Object.entries(v)) {
        str(k);
        write(item);
      }
      out.push(0x75); // SETITEMS
    }
  };
  write(value);
  out.push(0x2e); // STOP
  return Uint8Array.from(out);
}

/** One zip member: `data` as stored in the archive; `method` 8 when it is raw deflate; `size` the uncompressed size it declares. */
export interface ZipMember {
  name: string;
  data: Uint8Array;
  method?: 0 | 8;
  size?: number;
}

/** A zip archive (local headers, central directory, end record; CRCs left 0: the reader under test ignores them). */
export function zip(members: ZipMember[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = enc.encode(m.name);
    const method = m.method ?? 0;
    const size = m.size ?? m.data.length;
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, method, true);
    local.setUint32(18, m.data.length, true);
    local.setUint32(22, size, true);
    local.setUint16(26, name.length, true);
    const dir = new DataView(new ArrayBuffer(46));
    dir.setUint32(0, 0x02014b50, true);
    dir.setUint16(4, 20, true);
    dir.setUint16(6, 20, true);
    dir.setUint16(10, method, true);
    dir.setUint32(20, m.data.length, true);
    dir.setUint32(24, size, true);
    dir.setUint16(28, name.length, true);
    dir.setUint32(42, offset, true);
    chunks.push(new Uint8Array(local.buffer), name, m.data);
    central.push(new Uint8Array(dir.buffer), name);
    offset += 30 + name.length + m.data.length;
  }
  const dirSize = central.reduce((s, c) => s + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, members.length, true);
  end.setUint16(10, members.length, true);
  end.setUint32(12, dirSize, true);
  end.setUint32(16, offset, true);
  const all = [...chunks, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of all) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Raw deflate that inflates to `mib` MiB of zeros in ~1 KB per MiB: one sync-flushed (non-final, byte-aligned)
 * stream of 1 MiB of zeros repeated, then an empty final block. 5120 MiB take ~5.3 MB.
 */
export function deflateBomb(mib: number): Uint8Array {
  const piece = deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const out = new Uint8Array(piece.length * mib + 2);
  for (let i = 0; i < mib; i++) out.set(piece, i * piece.length);
  out.set([0x03, 0x00], piece.length * mib); // final fixed-Huffman block holding only end-of-block
  return out;
}

/** Little-endian float32 bytes. */
export function f32(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** A torch.save zip of `value` (archive name `archive`) with the given storages (key -> stored bytes or a member). */
export function torchFile(value: PickleValue, storages: Record<string, Uint8Array | Omit<ZipMember, 'name'>>, extra: ZipMember[] = []): Uint8Array {
  const members: ZipMember[] = [
    { name: 'archive/data.pkl', data: pickle(value) },
    { name: 'archive/byteorder', data: enc.encode('little') },
  ];
  for (const [key, s] of Object.entries(storages)) members.push(s instanceof Uint8Array ? { name: `archive/data/${key}`, data: s } : { name: `archive/data/${key}`, ...s });
  members.push(...extra, { name: 'archive/version', data: enc.encode('3\n') });
  return zip(members);
}
