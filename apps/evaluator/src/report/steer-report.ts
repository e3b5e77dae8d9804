import type { ConceptResidue } from '@msae/analysis';

/** What `msae-eval steer` reports (JSON), and its table. */
export interface SteerSummary {
  checkpoint: string;
  data: string;
  out: string | null;
  rows: number;
  k: number | null;
  renormalize: boolean;
  /** The embeddings whose activations define the units. */
  reference: string;
  concept: string | null;
  edits: {
    latent: number;
    concept: string | null;
    name: string | null;
    /** how the latent carries the concept: named, or aligned with its text direction (cosine) */
    carries: string | null;
    op: string;
    /** the strength as given (2typ, 1max, p90, or a raw number) */
    given: string;
    /** the code value it resolved to */
    value: number;
    typical: number;
    observedMax: number;
    activeRows: number;
    outOfRange: number;
  }[];
  conceptMappings: { concept: string; threshold: number; named: number; aligned: number }[];
  warnings: string[];
  meanShift: number;
  meanCosine: number;
  classChanged: number | null;
  queries: {
    row: number;
    cosine: number;
    conceptBefore: number | null;
    conceptAfter: number | null;
    classBefore: string | null;
    classAfter: string | null;
    probabilityBefore: number | null;
    probabilityAfter: number | null;
    neighboursBefore: { row: number; about: string }[];
    neighboursAfter: { row: number; about: string }[];
    neighboursKept: number | null;
  }[];
  residue: (ConceptResidue & { verdict: string }) | null;
}

const op = (o: string) => (o === 'set' ? '=' : o === 'scale' ? '*' : '+');
const f = (v: number | null, d = 3) => (v === null ? '' : v.toFixed(d));

export function steerTable(s: SteerSummary, show = 5): string {
  const lines = [
    `steered ${s.rows} rows of ${s.data} with ${s.checkpoint} (codes: ${s.k === null ? 'every positive' : `top ${s.k}`}${s.renormalize ? ', renormalized' : ''}; units from ${s.reference})${s.out ? ` -> ${s.out}` : ''}`,
    ...s.conceptMappings.map((m) => `concept "${m.concept}": ${m.named} named + ${m.aligned} aligned latents (decoder-text cosine >= ${m.threshold})`),
    '',
    '| latent | concept | carries | edit | code value | typical | max seen | rows active | rows out of range |',
    '| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...s.edits.map(
      (e) =>
        `| ${e.latent} | ${e.concept ?? e.name ?? ''} | ${e.carries ?? ''} | ${op(e.op)}${e.given} | ${e.op === 'scale' ? '' : e.value.toFixed(3)} | ${e.typical.toFixed(3)} | ${e.observedMax.toFixed(3)} | ${e.activeRows} | ${e.outOfRange} |`,
    ),
    '',
    ...s.warnings.map((w) => `WARNING: ${w}`),
    ...(s.warnings.length ? [''] : []),
    `mean ||x' - x|| ${s.meanShift.toFixed(4)}, mean cos(x, x') ${s.meanCosine.toFixed(4)}${s.classChanged !== null ? `, top-1 class changed on ${s.classChanged} of ${s.rows} rows` : ''}`,
  ];
  const shown = s.queries.slice(0, show);
  if (shown.length) {
    const hasConcept = s.concept !== null && shown[0].conceptBefore !== null;
    const hasClass = shown[0].classBefore !== null;
    const hasNeighbours = shown[0].neighboursBefore.length > 0;
    const header = ['row', "cos(x, x')", ...(hasConcept ? [`cos(., "${s.concept}") before -> after`] : []), ...(hasClass ? ['class before -> after'] : []), ...(hasNeighbours ? ['neighbours before', 'neighbours after', 'kept'] : [])];
    lines.push('', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
    const nb = (l: { row: number; about: string }[]) => l.map((n) => `${n.row}${n.about ? ` ${n.about}` : ''}`).join(', ');
    for (const q of shown) {
      const cells = [
        String(q.row),
        q.cosine.toFixed(4),
        ...(hasConcept ? [`${f(q.conceptBefore)} -> ${f(q.conceptAfter)}`] : []),
        ...(hasClass ? [`${q.classBefore} (${f(q.probabilityBefore, 2)}) -> ${q.classAfter} (${f(q.probabilityAfter, 2)})`] : []),
        ...(hasNeighbours ? [nb(q.neighboursBefore), nb(q.neighboursAfter), `${q.neighboursKept}/${q.neighboursBefore.length}`] : []),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
    if (s.queries.length > show) lines.push(`(${s.queries.length - show} more rows in --json)`);
  }
  if (s.residue) {
    const r = s.residue;
    lines.push('', `ablation residue over the ${r.rows} changed rows: mean cos to "${s.concept}" ${r.before.toFixed(4)} -> ${r.after.toFixed(4)} (baseline ${r.baseline.toFixed(4)}), residue ${(100 * r.residue).toFixed(0)}%`, r.verdict);
  }
  return lines.join('\n');
}
