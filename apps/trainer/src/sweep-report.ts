import { join } from 'node:path';
import { type Column, evalRecordColumns, formatTable } from '@msae/cli-kit';
import { writeFileAtomic } from '@msae/io';
import { paretoSpec, type EvalRecord } from '@msae/metrics';

/** An evaluation record of one sweep member. */
export type MemberRecord = EvalRecord & { member: string };

const COLUMNS: Column<MemberRecord>[] = [
  { header: 'member', align: 'left', cell: (r) => r.member },
  ...evalRecordColumns<MemberRecord>(),
];

/** The comparison of every member at every progressive k, as a Markdown table (msae-eval --compare's columns). */
export function sweepTable(records: MemberRecord[]): string {
  return formatTable(COLUMNS, records);
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * Write <dir>/report.md (details + table), results.json and pareto.vl.json (the Vega-Lite frontier spec that
 * msae-eval --compare renders: FVU and cosine against L0, one line per member), each atomically.
 */
export async function writeSweepReport(dir: string, title: string, details: string[], records: MemberRecord[], results: unknown): Promise<string[]> {
  const spec = paretoSpec(records.map((r) => ({ ...r, checkpoint: r.member })), title);
  const markdown = [`# ${title}`, '', ...details.map((d) => `- ${d}`), '', sweepTable(records), ''].join('\n');
  const files: Array<[string, string]> = [
    ['results.json', `${JSON.stringify(results, null, 2)}\n`],
    ['pareto.vl.json', `${JSON.stringify(spec, null, 2)}\n`],
    ['report.md', markdown],
  ];
  for (const [name, text] of files) await writeFileAtomic(join(dir, name), [utf8(text)]);
  return files.map(([name]) => join(dir, name));
}
