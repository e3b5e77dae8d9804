import type { Matrix } from '@msae/core';
import { targetProbability } from './causal-effects.js';
import { argmaxRows, classifierLogits, type LinearClassifier } from './linear-classifier.js';
import type { SaeModel } from './sae-model.js';
import { codeAt, type SparseCodes } from './sparse-codes.js';
import { renormalizeRow } from './steer.js';

/** New codes for some latents of one row: [latent, z'] pairs (undefined: the row is left alone). */
export type RowEdit = (row: number) => ReadonlyArray<readonly [number, number]> | undefined;

/**
 * x' = x + sum_j (z'_j - z_j) W_dec[j] / scale for the rows an edit touches (the steering primitive, only on
 * those rows), optionally renormalized. Returns the touched rows and their x'.
 */
export function editedRows(model: SaeModel, x: Matrix, codes: SparseCodes, edit: RowEdit, renormalize = false): { rows: number[]; steered: Matrix } {
  const { dIn, params, normalization } = model;
  const rows: number[] = [];
  const parts: Float32Array[] = [];
  for (let r = 0; r < x.rows; r++) {
    const changes = edit(r);
    if (!changes) continue;
    const out = x.data.slice(r * dIn, (r + 1) * dIn);
    let moved = false;
    for (const [j, zNew] of changes) {
      const dz = (zNew - codeAt(codes, r, j)) / normalization.scale; // (z'_j - z_j) / scale
      if (dz === 0) continue;
      moved = true;
      for (let d = 0; d < dIn; d++) out[d] += dz * params.W_dec[j * dIn + d];
    }
    if (!moved) continue;
    if (renormalize) renormalizeRow(out, 0, dIn);
    rows.push(r);
    parts.push(out);
  }
  const data = new Float32Array(rows.length * dIn);
  parts.forEach((p, i) => data.set(p, i * dIn));
  return { rows, steered: { data, rows: rows.length, cols: dIn } };
}

/** Decisions and P(target) of every row after an edit (rows it does not touch keep their base values). */
export async function decisionsAfter(
  model: SaeModel,
  x: Matrix,
  codes: SparseCodes,
  edit: RowEdit,
  head: { classifier: LinearClassifier; targetClass: number; baseDecision: Uint8Array; baseProbability: Float64Array; renormalize?: boolean },
): Promise<{ decision: Uint8Array; probability: Float64Array }> {
  const { rows, steered } = editedRows(model, x, codes, edit, head.renormalize);
  const decision = head.baseDecision.slice();
  const probability = head.baseProbability.slice();
  if (rows.length === 0) return { decision, probability };
  const p = await targetProbability(head.classifier, steered, head.targetClass, model.matmul);
  const top = argmaxRows(await classifierLogits(head.classifier, steered, model.matmul), head.classifier.weights.rows);
  rows.forEach((r, i) => {
    probability[r] = p[i];
    decision[r] = top[i] === head.targetClass ? 1 : 0;
  });
  return { decision, probability };
}
