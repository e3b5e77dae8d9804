import type { Matrix } from '@msae/core';
import { float32LittleEndianBytes } from './element-decoding.js';

/**
 * Encode a matrix as a safetensors file holding one F32 tensor `name` of shape [rows, cols].
 * TEMPORARY local encoder until @msae/core's encodeSafetensors lands.
 */
export function encodeSafetensorsEmbeddings(m: Matrix, name = 'embeddings', metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  header[name] = { dtype: 'F32', shape: [m.rows, m.cols], data_offsets: [0, m.data.byteLength] };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const text = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + text.byteLength + m.data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.byteLength), true);
  out.set(text, 8);
  out.set(float32LittleEndianBytes(m.data), 8 + text.byteLength);
  return out;
}
