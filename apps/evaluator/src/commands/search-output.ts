/** Result records of `msae-eval search`, their table, and the --classifier annotation. */
import type { Matrix } from '@msae/core';
import type { LinearClassifier, SaeModel, SearchHits } from '@msae/analysis';

export interface SearchHitRecord {
  rank: number;
  row: number;
  id: string;
  score: number;
  label?: string | null;
  /** top-1 class of the hit under --classifier */
  class?: string;
  codes?: number[];
}

export interface SearchQueryRecord {
  query: string;
  kind: 'text' | 'concept' | 'row' | 'embedding';
  steered: boolean;
  /** top-1 class of the (steered) query embedding under --classifier */
  class?: string;
  /** raw embedding cosine, SAE code space, or concept activation */
  mode?: 'raw' | 'code' | 'concept';
  /** concept queries: the latents ranked by, and how they were found */
  latents?: number[];
  mapping?: string;
  /** near-duplicate hits dropped (and a row query's own row) */
  duplicatesDropped?: number;
  hits: SearchHitRecord[];
}

export function hitRecords(hits: SearchHits, q: number, labels?: string[]): SearchHitRecord[] {
  const out: SearchHitRecord[] = [];
  for (let t = 0; t < hits.k; t++) {
    const row = hits.rows[q * hits.k + t];
    if (row < 0) continue;
    out.push({ rank: t + 1, row, id: String(row), score: hits.scores[q * hits.k + t], ...(labels ? { label: labels[row] } : {}) });
  }
  return out;
}

/** Top-1 class of each query (steered) and each hit. */
export async function annotateClasses(
  results: SearchQueryRecord[],
  classifier: LinearClassifier,
  queries: Matrix | undefined,
  embeddingQueries: number,
  matmul: SaeModel['matmul'],
  rowsOf: (rows: number[]) => Promise<Float32Array[]>,
): Promise<void> {
  const { argmaxRows, classifierLogits } = await import('@msae/analysis');
  const name = (c: number) => classifier.classes?.[c] ?? String(c);
  const top1 = async (m: Matrix) => argmaxRows(await classifierLogits(classifier, m, matmul), classifier.weights.rows);
  if (queries) {
    const q = await top1(queries);
    for (let i = 0; i < embeddingQueries; i++) results[i].class = name(q[i]);
  }
  const hitRows = [...new Set(results.flatMap((r) => r.hits.map((h) => h.row)))];
  if (hitRows.length === 0) return;
  const vectors = await rowsOf(hitRows);
  const d = vectors[0].length;
  const m: Matrix = { data: new Float32Array(hitRows.length * d), rows: hitRows.length, cols: d };
  vectors.forEach((v, i) => m.data.set(v, i * d));
  const classes = await top1(m);
  const byRow = new Map(hitRows.map((r, i) => [r, name(classes[i])]));
  for (const r of results) for (const h of r.hits) h.class = byRow.get(h.row);
}

export function searchTable(results: SearchQueryRecord[]): string {
  const blocks: string[] = [];
  for (const r of results) {
    const extra = [r.mode ? `${r.mode} search` : '', r.latents ? `latents ${r.latents.slice(0, 12).join(', ')}${r.latents.length > 12 ? ', ...' : ''}${r.mapping ? ` (${r.mapping})` : ''}` : '', r.duplicatesDropped ? `${r.duplicatesDropped} duplicates dropped` : '']
      .filter(Boolean)
      .join('; ');
    const head = `query ${r.query}${r.steered ? ' (steered)' : ''}${r.class !== undefined ? ` -> class ${r.class}` : ''}${extra ? ` [${extra}]` : ''}`;
    const hasLabel = r.hits.some((h) => h.label !== undefined && h.label !== null);
    const hasClass = r.hits.some((h) => h.class !== undefined);
    const header = ['rank', 'row', 'id', 'score', ...(hasLabel ? ['label'] : []), ...(hasClass ? ['class'] : [])];
    const lines = [`| ${header.join(' | ')} |`, `| ${header.map((h) => (h === 'label' || h === 'class' || h === 'id' ? '---' : '---:')).join(' | ')} |`];
    for (const h of r.hits) {
      lines.push(`| ${[h.rank, h.row, h.id, h.score.toFixed(4), ...(hasLabel ? [h.label ?? ''] : []), ...(hasClass ? [h.class ?? ''] : [])].join(' | ')} |`);
    }
    blocks.push([head, '', ...lines].join('\n'));
  }
  return blocks.join('\n\n');
}
