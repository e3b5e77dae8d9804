import type { EvalRecord } from '@msae/metrics';

/** An evaluation record, tagged with its checkpoint when several are compared. */
export type ResultRecord = EvalRecord & { checkpoint?: string };

const fixed = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

/** Markdown table of evaluation records (one row per checkpoint and k). */
export function resultsTable(records: ResultRecord[]): string {
  const withName = records.some((r) => r.checkpoint !== undefined);
  const header = [...(withName ? ['checkpoint'] : []), 'k', 'L0', 'FVU', 'FVU global', 'cosine', 'NMAE', 'sparsity', 'dead', 'CKNNA'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((h) => (h === 'checkpoint' ? '---' : '---:')).join(' | ')} |`];
  for (const r of records) {
    const cells = [
      ...(withName ? [r.checkpoint ?? ''] : []),
      String(r.k),
      fixed(r.l0, 1),
      fixed(r.fvu, 4),
      fixed(r.fvuGlobal, 4),
      fixed(r.cosine, 4),
      fixed(r.nmae, 4),
      fixed(r.sparsity, 4),
      String(r.deadLatents),
      fixed(r.cknna, 4),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
