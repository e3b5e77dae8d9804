import { type Column, evalRecordColumns, fixed, formatTable } from '@msae/cli-kit';
import type { EvalRecord } from '@msae/metrics';
import type { DownstreamFields } from './downstream-pass.js';

/** An evaluation record, tagged with its checkpoint when several are compared. */
export type ResultRecord = EvalRecord & { checkpoint?: string } & Partial<DownstreamFields>;

const COLUMNS: Column<ResultRecord>[] = evalRecordColumns<ResultRecord>();

const CHECKPOINT: Column<ResultRecord> = { header: 'checkpoint', align: 'left', cell: (r) => r.checkpoint ?? '' };

/** Markdown table of evaluation records (one row per checkpoint and k). */
export function resultsTable(records: ResultRecord[]): string {
  const withName = records.some((r) => r.checkpoint !== undefined);
  const columns = withName ? [CHECKPOINT, ...COLUMNS] : COLUMNS;
  return formatTable([...columns, ...downstreamColumns(records)], records);
}

/** --classifier columns (downstream preservation), present when the records carry them. */
function downstreamColumns(records: ResultRecord[]): Column<ResultRecord>[] {
  if (!records.some((r) => r.agreement !== undefined)) return [];
  const opt = (header: string, key: keyof DownstreamFields, digits: number): Column<ResultRecord> => ({ header, cell: (r) => (r[key] === undefined ? '' : fixed(r[key] as number, digits)) });
  const withLabels = records.some((r) => r.accuracy !== undefined);
  return [opt('agreement', 'agreement', 4), opt('KL', 'kl', 4), ...(withLabels ? [opt('acc x', 'accuracy', 4), opt('acc x^', 'accuracyReconstructed', 4)] : [])];
}
