import type { EvalRecord } from '@msae/metrics';

const COLUMNS: [keyof EvalRecord, string, (v: number) => string][] = [
  ['k', 'k', (v) => String(v)],
  ['fvu', 'FVU', (v) => v.toFixed(4)],
  ['fvuGlobal', 'FVU (global)', (v) => v.toFixed(4)],
  ['cosine', 'cosine', (v) => v.toFixed(4)],
  ['nmae', 'NMAE', (v) => v.toFixed(4)],
  ['l0', 'L0', (v) => v.toFixed(1)],
  ['sparsity', 'sparsity', (v) => v.toFixed(3)],
  ['deadLatents', 'dead', (v) => String(v)],
  ['cknna', 'CKNNA', (v) => v.toFixed(4)],
];

/** The validation results as a Markdown table. */
export function resultsTable(records: EvalRecord[]): string {
  const header = `| ${COLUMNS.map((c) => c[1]).join(' | ')} |`;
  const rule = `|${COLUMNS.map(() => '---:').join('|')}|`;
  const rows = records.map((r) => `| ${COLUMNS.map(([key, , f]) => f(r[key] as number)).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}
