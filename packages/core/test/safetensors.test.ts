import { describe, expect, it } from 'vitest';
import { Rng } from '../src/rng.js';
import { decodeSafetensors, encodeSafetensors, parseSafetensorsHeader, safetensorsHeaderLength } from '../src/safetensors.js';

/** Build a safetensors file by hand: u64 LE header length, JSON header, raw data. */
function handBuilt(header: object, data: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('safetensors', () => {
  it('decodes a hand-built file with F32, F16, BF16 and F64 tensors and metadata', () => {
    const f32 = new Uint8Array(new Float32Array([1.5, -2]).buffer);
    const f16 = [0x00, 0x3c, 0x00, 0xc0, 0x00, 0x38, 0x01, 0x00]; // 1, -2, 0.5, 2^-24 (subnormal)
    const bf16 = [0x80, 0x3f, 0x40, 0xc0]; // 1, -3
    const f64 = new Uint8Array(new Float64Array([0.25]).buffer);
    const data = [...f32, ...f16, ...bf16, ...f64];
    const bytes = handBuilt(
      {
        __metadata__: { format: 'pt', note: 'hi' },
        a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        h: { dtype: 'F16', shape: [2, 2], data_offsets: [8, 16] },
        b: { dtype: 'BF16', shape: [2], data_offsets: [16, 20] },
        d: { dtype: 'F64', shape: [], data_offsets: [20, 28] },
      },
      data,
    );
    const { tensors, metadata } = decodeSafetensors(bytes, 'hand.safetensors');
    expect(metadata).toEqual({ format: 'pt', note: 'hi' });
    expect(Array.from(tensors.a.data)).toEqual([1.5, -2]);
    expect(tensors.h.shape).toEqual([2, 2]);
    expect(Array.from(tensors.h.data)).toEqual([1, -2, 0.5, 2 ** -24]);
    expect(Array.from(tensors.b.data)).toEqual([1, -3]);
    expect(tensors.d.shape).toEqual([]);
    expect(Array.from(tensors.d.data)).toEqual([0.25]);
    expect(tensors.h.dtype).toBe('F16');
  });

  it('round-trips F32 tensors and metadata; header is 8-byte aligned and space padded', () => {
    const rng = new Rng(9);
    const t = {
      W: { shape: [3, 5], data: new Float32Array(15).map(() => rng.normal()) },
      b: { shape: [5], data: new Float32Array(5).map(() => rng.normal()) },
      empty: { shape: [0, 4], data: new Float32Array(0) },
    };
    const bytes = encodeSafetensors(t, { step: '12' });
    const n = safetensorsHeaderLength(bytes);
    expect(n % 8).toBe(0);
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(JSON.parse(headerText).W).toEqual({ dtype: 'F32', shape: [3, 5], data_offsets: [0, 60] });
    expect(bytes.length).toBe(8 + n + 80);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ step: '12' });
    for (const k of Object.keys(t) as (keyof typeof t)[]) {
      expect(back.tensors[k].shape).toEqual(t[k].shape);
      expect(back.tensors[k].data).toEqual(t[k].data);
    }
    // decoding from an unaligned view (e.g. a slice of a bigger buffer) works
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeSafetensors(shifted.subarray(3)).tensors.W.data).toEqual(t.W.data);
  });

  it('parses just the header for streaming readers (absolute offsets)', () => {
    const bytes = encodeSafetensors({ x: { shape: [4, 2], data: new Float32Array(8).fill(1) } });
    const n = safetensorsHeaderLength(bytes.subarray(0, 8), 'big.safetensors', bytes.length);
    const h = parseSafetensorsHeader(bytes.subarray(0, 8 + n), 'big.safetensors', bytes.length);
    expect(h.dataOffset).toBe(8 + n);
    expect(h.tensors.x).toEqual({ dtype: 'F32', shape: [4, 2], begin: 8 + n, end: 8 + n + 32 });
  });

  it('one-line errors naming the file for corrupt or truncated input', () => {
    const good = encodeSafetensors({ x: { shape: [4], data: new Float32Array([1, 2, 3, 4]) } });
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 5), /f\.st: truncated safetensors file \(5 bytes/],
      [good.subarray(0, 20), /f\.st: truncated safetensors file \(header says \d+ bytes but only 12 follow\)/],
      [good.subarray(0, good.length - 4), /f\.st: truncated safetensors file \(tensor 'x' ends at data byte 16 but the data section has 12 bytes\)/],
      [handBuilt({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }, new Array(16).fill(0)), /tensor 'x' F32 \[3\] needs 12 bytes, data_offsets span 16/],
      [handBuilt({ x: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, [0]), /unknown dtype "Q4"/],
      [handBuilt({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /invalid shape/],
      [handBuilt({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, [0, 0, 0, 0]), /invalid data_offsets/],
      [handBuilt({ __metadata__: { a: 1 } }, []), /__metadata__\.a is not a string/],
      [handBuilt([1, 2], []), /not a JSON object/],
      [handBuilt({ x: { dtype: 'I32', shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /only F32, F16, BF16 and F64 can be read/],
    ];
    const notJson = good.slice();
    notJson[9] = 0x7b; // '{{' is not JSON
    cases.push([notJson, /corrupt safetensors header \(not valid UTF-8 JSON/]);
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(4, 1, true);
    cases.push([huge, /header length \d+ is implausible/]);
    for (const [bytes, re] of cases) {
      const msg = errorOf(() => decodeSafetensors(bytes, 'f.st'));
      expect(msg).toMatch(re);
      expect(msg.startsWith('f.st: ')).toBe(true);
      expect(msg).not.toContain('\n');
    }
  });

  it('refuses overlapping, gapped and trailing data offsets (the byte ranges must tile the data section)', () => {
    const zeros = (n: number) => new Array(n).fill(0);
    const cases: [Uint8Array, string][] = [
      [
        handBuilt({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, zeros(12)),
        "f.st: corrupt safetensors header (tensor 'b' overlaps 'a': data_offsets begin at 4, before 8)",
      ],
      [
        handBuilt({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, zeros(12)),
        "f.st: corrupt safetensors header (bytes 4..8 before tensor 'b' belong to no tensor)",
      ],
      [handBuilt({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, zeros(8)), "f.st: corrupt safetensors header (bytes 0..4 before tensor 'a' belong to no tensor)"],
      [handBuilt({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, zeros(8)), 'f.st: corrupt safetensors header (the data section has 8 bytes but its tensors end at 4)'],
      // the same range twice is an overlap too
      [
        handBuilt({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, zeros(4)),
        "f.st: corrupt safetensors header (tensor 'b' overlaps 'a': data_offsets begin at 0, before 4)",
      ],
    ];
    for (const [bytes, message] of cases) expect(errorOf(() => decodeSafetensors(bytes, 'f.st'))).toBe(message);
    // tiling in any header order (and a zero-size tensor) is fine
    const ok = handBuilt(
      { b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }, e: { dtype: 'F32', shape: [0], data_offsets: [8, 8] }, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } },
      [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40],
    );
    const decoded = decodeSafetensors(ok, 'f.st');
    expect(Array.from(decoded.tensors.a.data)).toEqual([1]);
    expect(Array.from(decoded.tensors.b.data)).toEqual([2]);
  });

  it('encode rejects shape/data mismatches', () => {
    expect(() => encodeSafetensors({ x: { shape: [3], data: new Float32Array(4) } })).toThrow(/has 4 values but shape \[3\]/);
  });
});

describe('safetensors from a Node Buffer', () => {
  it('decodes F32 tensors of a pooled Buffer (Buffer#slice is a view, not a copy)', async () => {
    const { Buffer } = await import('node:buffer');
    const values = Float32Array.from([1.5, -2.25, 3, 4.125, -5, 6]);
    const file = encodeSafetensors({ w: { data: values, shape: [2, 3] } });
    // A small Buffer.from() copy lives inside Node's shared pool at a non-zero offset.
    const pooled = Buffer.from(file);
    const { tensors } = decodeSafetensors(pooled, 'pooled.safetensors');
    expect(Array.from(tensors.w.data)).toEqual(Array.from(values));
  });
});
