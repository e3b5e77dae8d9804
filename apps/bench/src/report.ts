import { type Column, formatTable as writeTable } from '@msae/cli-kit';
import type { BenchResult } from './measure.js';

export interface ConfigReport extends BenchResult {
  baseline?: BenchResult;
  /** ours / PyTorch samples per second. */
  ratioVsBaseline?: number;
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const s3 = (v: number) => v.toFixed(3);
const optional = (v: number | undefined, f: (v: number) => string) => (v !== undefined ? f(v) : '-');

/** One line of the table: a config's run (ours or the baseline) and its label. */
export interface TableRow {
  label: string;
  result: BenchResult;
}

/**
 * The table's columns, in order: add a column (say, the kernel variant) by adding an entry here; the JSON
 * output carries every BenchResult field anyway.
 */
export const BENCH_COLUMNS: Column<TableRow>[] = [
  { header: 'config', align: 'left', cell: (r) => r.label },
  {
    header: 'run',
    align: 'left',
    cell: ({ result: r }) => `${r.architecture}${r.architecture === 'topk' && r.k !== undefined ? ` k=${r.k}` : ''} ${r.dIn}->${r.dSae} b${r.batch}`,
  },
  { header: 'samples/s', cell: (r) => r.result.samplesPerSecond.toFixed(0) },
  { header: 's/step', cell: (r) => s3(r.result.secondsPerStep) },
  { header: 'peak RSS', cell: (r) => gib(r.result.peakRssBytes) },
  { header: 'encode', cell: (r) => s3(r.result.phases.encode) },
  { header: 'topk', cell: (r) => s3(r.result.phases.topk) },
  { header: 'decode', cell: (r) => s3(r.result.phases.decode) },
  { header: 'backward', cell: (r) => s3(r.result.phases.backward) },
  { header: 'optim', cell: (r) => s3(r.result.phases.optimizer) },
  { header: 'enc k=64 rows/s', cell: (r) => r.result.encodeSamplesPerSecond.toFixed(0) },
  { header: 'codes/row', cell: (r) => optional(r.result.activeCodesPerRow, (v) => v.toFixed(0)) },
  { header: 'GFLOP/s', cell: (r) => optional(r.result.gflopPerSecond, (v) => v.toFixed(1)) },
  { header: 'floor s/step', cell: (r) => optional(r.result.floorSecondsPerStep, s3) },
  { header: 'step/floor', cell: (r) => optional(r.result.stepOverFloor, (v) => v.toFixed(2)) },
];

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
  const a = find('A'),
    b = find('B'),
    d = find('D');
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
  const rows: TableRow[] = reports.flatMap((r) => [
    { label: `${r.name} ours`, result: r as BenchResult },
    ...(r.baseline ? [{ label: `${r.name} pytorch`, result: r.baseline }] : []),
  ]);
  const out = [
    writeTable(BENCH_COLUMNS, rows, 'plain'),
    '',
    'engines: ' + [...new Set(reports.flatMap((r) => [r.engine, r.baseline?.engine].filter(Boolean)))].join('; '),
  ];
  out.push('phases: mean seconds per step; s/step: median of the timed steps');
  out.push('codes/row: codes kept per row at the largest level; GFLOP/s: encoder GEMM + 4 sparse products (2 nnz d_in each) per step / s/step;');
  out.push(
    'floor s/step: those FLOPs at the dense GEMM rate measured in the same process (' +
      [
        ...new Set(
          reports
            .map((r) => r.gemmGflopPerSecond)
            .filter((v): v is number => v !== undefined)
            .map((v) => `${v.toFixed(1)}`),
        ),
      ].join(', ') +
      ' GFLOP/s)',
  );
  const ours = reports.find((r) => r.cpuModel !== undefined);
  if (ours) out.push(`cpu: ${ours.cpuModel}; kernel variant that ran: ${ours.kernel} (this CPU supports: ${ours.kernelsSupported?.join(', ')})`);
  if (ours?.clock === 'cpu') out.push('clock (ours): process CPU time / threads (MSAE_CPU_TIMING=cpu)');
  for (const r of reports) {
    if (r.gemmGflopPerSecond !== undefined && r.floorSecondsPerStep !== undefined && r.stepOverFloor !== undefined) {
      out.push(
        `config ${r.name}: dense GEMM ${r.gemmGflopPerSecond.toFixed(1)} GFLOP/s${r.kernel ? ` (${r.kernel})` : ''}, ` +
          `floor ${s3(r.floorSecondsPerStep)} s/step, step ${s3(r.secondsPerStep)} s, step/floor = ${r.stepOverFloor.toFixed(2)}`,
      );
    }
  }
  for (const r of reports) {
    if (r.ratioVsBaseline !== undefined) out.push(`config ${r.name}: ours/PyTorch samples/s = ${r.ratioVsBaseline.toFixed(2)}x`);
  }
  const sm = summarize(reports);
  const f2 = (v: number | undefined) => (v === undefined ? undefined : v.toFixed(2));
  if (sm.msaeOverTopkStepTime !== undefined) out.push(`MSAE/TopK step time (A/B, ours) = ${f2(sm.msaeOverTopkStepTime)}`);
  if (sm.msaeFloorOverTopkStepTime !== undefined) {
    out.push(
      `  lower bound for any exact engine on this machine: A's floor / B's step = ${f2(sm.msaeFloorOverTopkStepTime)}` +
        (sm.msaeOverTopkFloorRatio !== undefined ? `; A's floor / B's floor = ${f2(sm.msaeOverTopkFloorRatio)}` : ''),
    );
  }
  if (sm.baselineMsaeOverTopkStepTime !== undefined) out.push(`MSAE/TopK step time (A/B, PyTorch) = ${f2(sm.baselineMsaeOverTopkStepTime)}`);
  if (sm.msaeOverLargestLevelStepTime !== undefined) {
    out.push(
      `MSAE / its largest level alone (A/D, ours) = ${f2(sm.msaeOverLargestLevelStepTime)}` +
        (sm.baselineMsaeOverLargestLevelStepTime !== undefined ? `; PyTorch ${f2(sm.baselineMsaeOverLargestLevelStepTime)}` : ''),
    );
  }
  return out.join('\n');
}
