import type { BenchResult } from './measure.js';

export interface ConfigReport extends BenchResult {
  baseline?: BenchResult;
  /** ours / PyTorch samples per second. */
  ratioVsBaseline?: number;
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const s3 = (v: number) => v.toFixed(3);

function pad(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((v, c) => (c < 2 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  ')).join('\n');
}

function line(label: string, r: BenchResult): string[] {
  const p = r.phases;
  return [
    label,
    `${r.architecture} ${r.dIn}->${r.dSae} b${r.batch}`,
    r.samplesPerSecond.toFixed(0),
    s3(r.secondsPerStep),
    gib(r.peakRssBytes),
    s3(p.encode),
    s3(p.topk),
    s3(p.decode),
    s3(p.backward),
    s3(p.optimizer),
    r.encodeSamplesPerSecond.toFixed(0),
  ];
}

/** Plain-text table of every config (and its baseline), then ratio lines. */
export function formatTable(reports: ConfigReport[]): string {
  const rows: string[][] = [
    ['config', 'run', 'samples/s', 's/step', 'peak RSS', 'encode', 'topk', 'decode', 'backward', 'optim', 'enc k=64 rows/s'],
  ];
  for (const r of reports) {
    rows.push(line(`${r.name} ours`, r));
    if (r.baseline) rows.push(line(`${r.name} pytorch`, r.baseline));
  }
  const out = [pad(rows), '', 'engines: ' + [...new Set(reports.flatMap((r) => [r.engine, r.baseline?.engine].filter(Boolean)))].join('; ')];
  out.push('phases: mean seconds per step; s/step: median of the timed steps');
  for (const r of reports) {
    if (r.ratioVsBaseline !== undefined) out.push(`config ${r.name}: ours/PyTorch samples/s = ${r.ratioVsBaseline.toFixed(2)}x`);
  }
  const a = reports.find((r) => r.name === 'A');
  const b = reports.find((r) => r.name === 'B');
  if (a && b) out.push(`MSAE/TopK step time (A/B, ours) = ${(a.secondsPerStep / b.secondsPerStep).toFixed(2)}`);
  if (a?.baseline && b?.baseline) out.push(`MSAE/TopK step time (A/B, PyTorch) = ${(a.baseline.secondsPerStep / b.baseline.secondsPerStep).toFixed(2)}`);
  return out.join('\n');
}
