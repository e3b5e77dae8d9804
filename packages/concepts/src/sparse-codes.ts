import { blockedMatmulABt, createSaeInference, encodeCodes, type MatmulABt, type Matrix } from '@msae/core';
import type { SaeEncoder } from './activation-evidence.js';
import type { InputNormalization } from './decoder-directions.js';
import { ConceptsInputError } from './errors.js';

/**
 * Sparse codes of a data set, row-major (CSR): row r's active latents are
 * latent[rowStart[r] .. rowStart[r + 1]) with their activations in `value`.
 */
export interface SparseCodes {
  rows: number;
  dSae: number;
  rowStart: Int32Array;
  latent: Int32Array;
  value: Float32Array;
}

/** Per latent: the rows where it is active and the activations, highest first (CSC view of SparseCodes). */
export interface LatentColumns {
  dSae: number;
  colStart: Int32Array;
  row: Int32Array;
  value: Float32Array;
}

export interface EncodeSparseOptions {
  data: Matrix;
  encoder: SaeEncoder;
  normalization: InputNormalization;
  /** Keep each row's top-k positive codes (ties: lower index); default every positive code. */
  k?: number;
  matmul?: MatmulABt;
  rowBlock?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Encode rows in blocks through core's inference module (the checkpoint's own gate: ReLU or JumpReLU's
 * thresholds) and keep the positive codes: z = TopK_k(gate((x_n - b_dec) W_enc + b_enc)), x_n = (x - mean) * s.
 */
export async function encodeSparseCodes(options: EncodeSparseOptions): Promise<SparseCodes> {
  const { data, encoder, normalization } = options;
  const { dIn, dSae } = encoder;
  if (data.cols !== dIn) throw new ConceptsInputError(`data rows are ${data.cols}-d but the SAE expects ${dIn}-d inputs`);
  const model = createSaeInference(
    { config: { dIn, dSae, architecture: encoder.architecture }, params: encoder, normalization },
    { matmul: options.matmul ?? blockedMatmulABt },
  );
  const rowBlock = Math.max(1, options.rowBlock ?? 1024);
  const rowStart = new Int32Array(data.rows + 1);
  const latents: number[] = [];
  const values: number[] = [];
  const total = Math.ceil(data.rows / rowBlock);
  for (let r0 = 0, blockNo = 0; r0 < data.rows; r0 += rowBlock, blockNo++) {
    const rows = Math.min(data.rows, r0 + rowBlock) - r0;
    const z = await encodeCodes(model, data, { start: r0, count: rows, k: options.k });
    for (let r = 0; r < rows; r++) {
      const o = r * dSae;
      for (let j = 0; j < dSae; j++) {
        if (z[o + j] > 0) {
          latents.push(j);
          values.push(z[o + j]);
        }
      }
      rowStart[r0 + r + 1] = latents.length;
    }
    options.onProgress?.(blockNo + 1, total);
  }
  return { rows: data.rows, dSae, rowStart, latent: Int32Array.from(latents), value: Float32Array.from(values) };
}

/** Transpose codes to per-latent columns, each sorted by activation (highest first; ties: lower row). */
export function latentColumns(codes: SparseCodes): LatentColumns {
  const { dSae } = codes;
  const colStart = new Int32Array(dSae + 1);
  for (let p = 0; p < codes.latent.length; p++) colStart[codes.latent[p] + 1]++;
  for (let j = 0; j < dSae; j++) colStart[j + 1] += colStart[j];
  const fill = colStart.slice(0, dSae);
  const row = new Int32Array(codes.latent.length);
  const value = new Float32Array(codes.latent.length);
  for (let r = 0; r < codes.rows; r++) {
    for (let p = codes.rowStart[r]; p < codes.rowStart[r + 1]; p++) {
      const q = fill[codes.latent[p]]++;
      row[q] = r;
      value[q] = codes.value[p];
    }
  }
  for (let j = 0; j < dSae; j++) {
    const s = colStart[j];
    const e = colStart[j + 1];
    const idx = Array.from({ length: e - s }, (_, i) => s + i);
    idx.sort((x, y) => value[y] - value[x] || row[x] - row[y]);
    const rs = idx.map((i) => row[i]);
    const vs = idx.map((i) => value[i]);
    row.set(rs, s);
    value.set(vs, s);
  }
  return { dSae, colStart, row, value };
}
