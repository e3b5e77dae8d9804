import type { MatmulABt, Matrix } from '@msae/core';
import { conceptScores } from './concept-residue.js';
import { exactSearch, type RowSource } from './exact-search.js';
import { argmaxRows, classifierLogits, softmaxRows, type LinearClassifier } from './linear-classifier.js';

/** What an edit did to one query. */
export interface QueryEffect {
  /** cos(x, x') */
  cosine: number;
  /** cos(x, t) and cos(x', t) for the concept's text direction t */
  conceptBefore?: number;
  conceptAfter?: number;
  /** Top-1 class and its probability before and after */
  classBefore?: number;
  classAfter?: number;
  probabilityBefore?: number;
  probabilityAfter?: number;
  /** Nearest collection rows before and after (the query's own row left out) */
  neighboursBefore?: number[];
  neighboursAfter?: number[];
  /** How many of the neighbours before are still among those after */
  neighboursKept?: number;
}

export interface SteeringEffectInput {
  x: Matrix;
  steered: Matrix;
  direction?: Float32Array;
  classifier?: LinearClassifier;
  collection?: RowSource;
  neighbours?: number;
  /** Each query's own row in the collection (left out of its neighbours), or -1. */
  selfRows?: readonly number[];
  matmul?: MatmulABt;
}

/** Per-query effect report: cosine to the original, concept similarity, classifier decision and neighbours before/after. */
export async function steeringEffects(input: SteeringEffectInput): Promise<QueryEffect[]> {
  const { x, steered } = input;
  const cos = conceptScoresPairwise(x, steered);
  const effects: QueryEffect[] = Array.from({ length: x.rows }, (_, r) => ({ cosine: cos[r] }));
  if (input.direction) {
    const b = conceptScores(x, input.direction);
    const a = conceptScores(steered, input.direction);
    effects.forEach((e, r) => {
      e.conceptBefore = b[r];
      e.conceptAfter = a[r];
    });
  }
  if (input.classifier) {
    const C = input.classifier.weights.rows;
    for (const [m, which] of [[x, 'Before'], [steered, 'After']] as const) {
      const logits = await classifierLogits(input.classifier, m, input.matmul);
      const top = argmaxRows(logits, C);
      const p = softmaxRows(logits, C);
      effects.forEach((e, r) => {
        e[`class${which}`] = top[r];
        e[`probability${which}`] = p[r * C + top[r]];
      });
    }
  }
  if (input.collection) {
    const n = input.neighbours ?? 5;
    const self = input.selfRows;
    const near = async (m: Matrix) => {
      const hits = await exactSearch(m, input.collection!, { k: n + 1, matmul: input.matmul });
      return effects.map((_, q) => {
        const rows: number[] = [];
        for (let t = 0; t < hits.k && rows.length < n; t++) {
          const row = hits.rows[q * hits.k + t];
          if (row >= 0 && row !== self?.[q]) rows.push(row);
        }
        return rows;
      });
    };
    const before = await near(x);
    const after = await near(steered);
    effects.forEach((e, q) => {
      e.neighboursBefore = before[q];
      e.neighboursAfter = after[q];
      e.neighboursKept = before[q].filter((r) => after[q].includes(r)).length;
    });
  }
  return effects;
}

/** cos(a_r, b_r) row by row. */
function conceptScoresPairwise(a: Matrix, b: Matrix): Float64Array {
  const out = new Float64Array(a.rows);
  for (let r = 0; r < a.rows; r++) {
    let dot = 0, aa = 0, bb = 0;
    for (let d = 0; d < a.cols; d++) {
      const u = a.data[r * a.cols + d];
      const v = b.data[r * a.cols + d];
      dot += u * v;
      aa += u * u;
      bb += v * v;
    }
    out[r] = aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0;
  }
  return out;
}
