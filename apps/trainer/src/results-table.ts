import { type Column, fixed, formatTable } from '@msae/cli-kit';
import type { EvalRecord } from '@msae/metrics';

const num = (header: string, key: keyof EvalRecord, digits: number): Column<EvalRecord> => ({
  header,
  cell: (r) => fixed(r[key] as number, digits),
});

const COLUMNS: Column<EvalRecord>[] = [
  { header: 'k', cell: (r) => String(r.k) },
  num('FVU', 'fvu', 4),
  num('FVU (global)', 'fvuGlobal', 4),
  num('cosine', 'cosine', 4),
  num('NMAE', 'nmae', 4),
  num('L0', 'l0', 1),
  num('sparsity', 'sparsity', 3),
  { header: 'dead', cell: (r) => String(r.deadLatents) },
  num('CKNNA', 'cknna', 4),
];

/** The validation results as a Markdown table. */
export function resultsTable(records: EvalRecord[]): string {
  return formatTable(COLUMNS, records);
}
