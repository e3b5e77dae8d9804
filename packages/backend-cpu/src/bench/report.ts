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
    `${r.architecture}${r.architecture === 'topk' && r.k !== undefined ? ` k=${r.k}` : ''} ${r.dIn}->${r.dSae} b${r.batch}`,
    r.samplesPerSecond.toFixed(0),
    s3(r.secondsPerStep),
    gib(r.peakRssBytes),
    s3(p.encode),
    s3(p.topk),
    s3(p.decode),
    s3(p.backward),
    s3(p.optimizer),
    r.encodeSamplesPerSecond.toFixed(0),
    r.activeCodesPerRow !== undefined ? r.activeCodesPerRow.toFixed(0) : '-',
    r.gflopPerSecond !== undefined ? r.gflopPerSecond.toFixed(1) : '-',
    r.floorSecondsPerStep !== undefined ? s3(r.floorSecondsPerStep) : '-',
  ];
}

/** Ratios between configs (present when both configs ran). */
export interface BenchSummary {
  /** A / B step time on our engine (issue 4's target: <= 1.5). */
  msaeOverTopkStepTime?: number;
  /** A's floor (its products at the dense GEMM rate) / B's measured step time: no exact engine gets A/B below this. */
  msaeFloorOverTopkStepTime?: number;
  /** A's floor / B's floor: the ratio if both configs ran every product at the dense GEMM rate. */
  msaeOverTopkFloorRatio?: number;
  /** A / D step time: what A's six smaller levels cost on top of its largest level alone. */
  msaeOverLargestLevelStepTime?: number;
  /** A / B and A / D step time of the PyTorch baseline. */
  baselineMsaeOverTopkStepTime?: number;
  baselineMsaeOverLargestLevelStepTime?: number;
}

export function summarize(reports: ConfigReport[]): BenchSummary {
  const find = (n: string) => reports.find((r) => r.name === n);
  const a = find('A'), b = find('B'), d = find('D');
  const out: BenchSummary = {};
  if (a && b) {
    out.msaeOverTopkStepTime = a.secondsPerStep / b.secondsPerStep;
    if (a.floorSecondsPerStep !== undefined) out.msaeFloorOverTopkStepTime = a.floorSecondsPerStep / b.secondsPerStep;
    if (a.floorSecondsPerStep !== undefined && b.floorSecondsPerStep !== undefined) {
      out.msaeOverTopkFloorRatio = a.floorSecondsPerStep / b.floorSecondsPerStep;
    }
    if (a.baseline && b.baseline) out.baselineMsaeOverTopkStepTime = a.baseline.secondsPerStep / b.baseline.secondsPerStep;
  }
  if (a && d) {
    out.msaeOverLargestLevelStepTime = a.secondsPerStep / d.secondsPerStep;
    if (a.baseline && d.baseline) out.baselineMsaeOverLargestLevelStepTime = a.baseline.secondsPerStep / d.baseline.secondsPerStep;
  }
  return out;
}

/** Plain-text table of every config (and its baseline), then ratio lines. */
export function formatTable(reports: ConfigReport[]): string {
  const rows: string[][] = [
    ['config', 'run', 'samples/s', 's/step', 'peak RSS', 'encode', 'topk', 'decode', 'backward', 'optim', 'enc k=64 rows/s', 'codes/row', 'GFLOP/s', 'floor s/step'],
  ];
  for (const r of reports) {
    rows.push(line(`${r.name} ours`, r));
    if (r.baseline) rows.push(line(`${r.name} pytorch`, r.baseline));
  }
  const out = [pad(rows), '', 'engines: ' + [...new Set(reports.flatMap((r) => [r.engine, r.baseline?.engine].filter(Boolean)))].join('; ')];
  out.push('phases: mean seconds per step; s/step: median of the timed steps');
  out.push('codes/row: codes kept per row at the largest level; GFLOP/s: encoder GEMM + 4 sparse products (2 nnz d_in each) per step / s/step;');
  out.push('floor s/step: those FLOPs at the dense GEMM rate measured in the same process (' +
    [...new Set(reports.map((r) => r.gemmGflopPerSecond).filter((v): v is number => v !== undefined).map((v) => `${v.toFixed(1)}`))].join(', ') +
    ' GFLOP/s)');
  for (const r of reports) {
    if (r.ratioVsBaseline !== undefined) out.push(`config ${r.name}: ours/PyTorch samples/s = ${r.ratioVsBaseline.toFixed(2)}x`);
  }
  const sm = summarize(reports);
  const f2 = (v: number | undefined) => (v === undefined ? undefined : v.toFixed(2));
  if (sm.msaeOverTopkStepTime !== undefined) out.push(`MSAE/TopK step time (A/B, ours) = ${f2(sm.msaeOverTopkStepTime)}`);
  if (sm.msaeFloorOverTopkStepTime !== undefined) {
    out.push(`  lower bound for any exact engine on this machine: A's floor / B's step = ${f2(sm.msaeFloorOverTopkStepTime)}` +
      (sm.msaeOverTopkFloorRatio !== undefined ? `; A's floor / B's floor = ${f2(sm.msaeOverTopkFloorRatio)}` : ''));
  }
  if (sm.baselineMsaeOverTopkStepTime !== undefined) out.push(`MSAE/TopK step time (A/B, PyTorch) = ${f2(sm.baselineMsaeOverTopkStepTime)}`);
  if (sm.msaeOverLargestLevelStepTime !== undefined) {
    out.push(`MSAE / its largest level alone (A/D, ours) = ${f2(sm.msaeOverLargestLevelStepTime)}` +
      (sm.baselineMsaeOverLargestLevelStepTime !== undefined ? `; PyTorch ${f2(sm.baselineMsaeOverLargestLevelStepTime)}` : ''));
  }
  return out.join('\n');
}
