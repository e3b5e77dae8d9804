import { ArgumentError } from '@msae/core';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@msae/io';
import { resultsTable, type ResultRecord } from '../results-table.js';
import { paretoSpec, renderSvg, svgToPng } from './pareto-plot.js';

export interface ReportInput {
  title: string;
  /** Lines describing the run (data file, checkpoints, engine, time). */
  details: string[];
  records: ResultRecord[];
  /** Series name in the plot for records without a checkpoint name (single-checkpoint runs). */
  seriesName?: string;
  /** The JSON written to results.json. */
  results: unknown;
}

export interface WrittenReport {
  dir: string;
  files: string[];
  /** Why no PNG was written, when none was. */
  pngSkipped?: string;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Write report.md, results.json, pareto.svg (and pareto.png when sharp is available) into dir, each atomically. */
export async function writeReport(dir: string, input: ReportInput): Promise<WrittenReport> {
  await mkdir(dir, { recursive: true }).catch((err: unknown) => {
    throw new ArgumentError(`${dir}`, `cannot create the report directory (${(err as { code?: string }).code ?? String(err)})`);
  });
  const plotted = input.records.map((r) => ({ ...r, checkpoint: r.checkpoint ?? input.seriesName ?? 'sae' }));
  const svg = await renderSvg(paretoSpec(plotted, input.title));
  let png: Uint8Array | null = null;
  let pngSkipped: string | undefined;
  try {
    png = await svgToPng(svg);
    if (!png) pngSkipped = 'sharp is not installed';
  } catch (error) {
    pngSkipped = `sharp failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  const markdown = [
    `# ${input.title}`,
    '',
    ...input.details.map((d) => `- ${d}`),
    '',
    resultsTable(input.records),
    '',
    png ? '![FVU and cosine against L0](pareto.png)' : '![FVU and cosine against L0](pareto.svg)',
    '',
  ].join('\n');
  const files: Array<[string, Uint8Array]> = [
    ['results.json', utf8(`${JSON.stringify(input.results, null, 2)}\n`)],
    ['pareto.svg', utf8(svg)],
    ...(png ? ([['pareto.png', png]] as Array<[string, Uint8Array]>) : []),
    ['report.md', utf8(markdown)],
  ];
  for (const [name, bytes] of files) await writeFileAtomic(join(dir, name), [bytes]);
  return { dir, files: files.map(([name]) => join(dir, name)), pngSkipped };
}
