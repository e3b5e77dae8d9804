import { encodeSafetensors, type Matrix } from '@msae/core';

/** Encode a matrix as a safetensors file (via @msae/core) holding one F32 tensor `name` [rows, cols]. */
export function encodeSafetensorsEmbeddings(m: Matrix, name = 'embeddings', metadata?: Record<string, string>): Uint8Array {
  return encodeSafetensors({ [name]: { shape: [m.rows, m.cols], data: m.data } }, metadata);
}
