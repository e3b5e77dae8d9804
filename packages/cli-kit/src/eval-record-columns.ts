import { type Column, fixed } from './table.js';

/** The fields of a progressive-k evaluation record (`@msae/metrics`' EvalRecord) that the CLIs tabulate. */
export interface EvalRecordFields {
  k: number;
  l0: number;
  fvu: number;
  fvuGlobal: number;
  cosine: number;
  nmae: number;
  sparsity: number;
  deadLatents: number;
  cknna: number;
}

type NumericKey = Exclude<keyof EvalRecordFields, 'k' | 'deadLatents'>;

const num = <R extends EvalRecordFields>(header: string, key: NumericKey, digits: number): Column<R> => ({
  header,
  cell: (r) => fixed(r[key], digits),
});

/** The evaluation columns shared by msae-train, msae-eval and sweep reports: k, L0, FVU, FVU global, cosine, NMAE, sparsity, dead, CKNNA. */
export function evalRecordColumns<R extends EvalRecordFields>(): Column<R>[] {
  return [
    { header: 'k', cell: (r) => String(r.k) },
    num<R>('L0', 'l0', 1),
    num<R>('FVU', 'fvu', 4),
    num<R>('FVU global', 'fvuGlobal', 4),
    num<R>('cosine', 'cosine', 4),
    num<R>('NMAE', 'nmae', 4),
    num<R>('sparsity', 'sparsity', 4),
    { header: 'dead', cell: (r) => String(r.deadLatents) },
    num<R>('CKNNA', 'cknna', 4),
  ];
}
