import { evalRecordColumns, formatTable } from '@msae/cli-kit';
import type { EvalRecord } from '@msae/metrics';

/** The validation results as a Markdown table (the same columns as msae-eval's). */
export function resultsTable(records: EvalRecord[]): string {
  return formatTable(evalRecordColumns<EvalRecord>(), records);
}
