/** Little-endian element types an embedding file may store; all are converted to float32. */
export type ElementType = 'f2' | 'bf16' | 'f4' | 'f8';

/** Bytes per element of each element type. */
export const ELEMENT_BYTES: Record<ElementType, number> = { f2: 2, bf16: 2, f4: 4, f8: 8 };

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let halfTable: Float32Array | undefined;

/** IEEE 754 binary16 bits -> value: (-1)^s * 2^(e-15) * (1 + f/1024), subnormal (-1)^s * 2^-14 * f/1024. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function halfLookup(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) halfTable[bits] = halfToFloat(bits);
  }
  return halfTable;
}

/**
 * Decode `count` little-endian elements of `type` from `src` (starting at byte 0) into
 * `dst[dstOffset ..]` as float32 (f8 rounds to nearest float32; bf16 is the top half of a float32).
 */
export function decodeElements(
  src: Uint8Array,
  type: ElementType,
  count: number,
  dst: Float32Array,
  dstOffset = 0,
): void {
  const need = count * ELEMENT_BYTES[type];
  if (src.byteLength < need) throw new RangeError(`decodeElements: need ${need} bytes, got ${src.byteLength}`);
  const view = new DataView(src.buffer, src.byteOffset, need);
  switch (type) {
    case 'f4':
      if (HOST_IS_LITTLE_ENDIAN && src.byteOffset % 4 === 0) {
        dst.set(new Float32Array(src.buffer, src.byteOffset, count), dstOffset);
      } else {
        for (let i = 0; i < count; i++) dst[dstOffset + i] = view.getFloat32(i * 4, true);
      }
      return;
    case 'f8':
      for (let i = 0; i < count; i++) dst[dstOffset + i] = view.getFloat64(i * 8, true);
      return;
    case 'f2': {
      const table = halfLookup();
      for (let i = 0; i < count; i++) dst[dstOffset + i] = table[view.getUint16(i * 2, true)];
      return;
    }
    case 'bf16': {
      const word = new Uint32Array(1);
      const asFloat = new Float32Array(word.buffer);
      for (let i = 0; i < count; i++) {
        word[0] = view.getUint16(i * 2, true) << 16; // bfloat16 = upper 16 bits of the float32 pattern
        dst[dstOffset + i] = asFloat[0];
      }
      return;
    }
  }
}

/** View the bytes of a float32 array as little-endian bytes (copying only on a big-endian host). */
export function float32LittleEndianBytes(data: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}
