/**
 * The dispatches of one call, grouped by phase (encode, topk, decode, backward, optimizer), and how they are
 * submitted: all in one compute pass (normal), or one submission per phase, timed (profiling).
 */
import type { GpuSession } from './gpu-buffers.js';
import { BDEC_SPLIT, ROW_CHUNK } from './kernels/backward.js';
import { gemmGrid } from './kernels/gemm.js';
import type { KernelName, KernelSet } from './kernel-set.js';

export const PHASES = ['encode', 'topk', 'decode', 'backward', 'optimizer'] as const;
export type Phase = (typeof PHASES)[number];
export type PhaseTimes = Record<Phase, number>;

export interface Dispatch {
  kernel: KernelName;
  /** Bindings 1..n (binding 0 is the Run uniform). */
  buffers: GPUBuffer[];
  grid: [number, number];
}

export type Plan = Partial<Record<Phase, Dispatch[]>>;

const MAX_GRID = 65535;

/** A 2-D grid of `groups` workgroups (kernels index them as wid.y * nwg.x + wid.x). */
export function grid2d(groups: number): [number, number] {
  const g = Math.max(1, groups);
  return g <= MAX_GRID ? [g, 1] : [MAX_GRID, Math.ceil(g / MAX_GRID)];
}

/** Workgroups of 256 threads covering n elements. */
export function flatGrid(n: number): [number, number] {
  return grid2d(Math.ceil(n / 256));
}

export function rowChunks(rows: number): number {
  return Math.ceil(rows / ROW_CHUNK);
}

/** Buffers a plan reads and writes (see the kernels for each one's shape). */
export interface PlanBuffers {
  run: GPUBuffer;
  params: GPUBuffer;
  grads: GPUBuffer;
  m: GPUBuffer;
  v: GPUBuffer;
  sq: GPUBuffer;
  /** [BDEC_SPLIT, dIn] partial sums of db_dec. */
  partial: GPUBuffer;
  stats: GPUBuffer;
  x: GPUBuffer;
  xc: GPUBuffer;
  pre: GPUBuffer;
  level: GPUBuffer;
  ent: GPUBuffer;
  bandEnd: GPUBuffer;
  rowStats: GPUBuffer;
  G: GPUBuffer;
  dpre: GPUBuffer;
  off: GPUBuffer;
  csc: GPUBuffer;
  bstate: GPUBuffer;
  recon: GPUBuffer;
  codes: GPUBuffer;
  gemmEncodeShape: GPUBuffer;
  gemmDecodeShape: GPUBuffer;
}

export function gemmBlock(rows: number, n: number): 4 | 8 {
  return rows >= 512 && n >= 512 ? 8 : 4;
}

/** x -> xc = x - b_dec -> pre = xc W_enc + b_enc. */
export function encodeDispatches(ks: KernelSet, b: PlanBuffers, rows: number): Dispatch[] {
  const { dIn, dSae } = ks.dims;
  const block = gemmBlock(rows, dSae);
  return [
    { kernel: 'center', buffers: [b.x, b.params, b.xc], grid: flatGrid(rows * dIn) },
    { kernel: block === 8 ? 'gemmEncode8' : 'gemmEncode4', buffers: [b.xc, b.params, b.pre, b.gemmEncodeShape], grid: gemmGrid(ks.gemmSpec('encode', block), rows) },
  ];
}

/** Selection into bands; batch = true adds the BatchTopK threshold passes first. */
export function selectDispatches(ks: KernelSet, b: PlanBuffers, rows: number, batch: boolean): Dispatch[] {
  const out: Dispatch[] = [];
  if (batch) {
    out.push({ kernel: 'batchInit', buffers: [b.bstate], grid: [1, 1] });
    for (let round = 0; round < 4; round++) {
      out.push({ kernel: 'batchHist', buffers: [b.pre, b.bstate], grid: flatGrid(rows * ks.dims.dSae) });
      out.push({ kernel: 'batchPick', buffers: [b.bstate], grid: [1, 1] });
    }
    out.push({ kernel: 'batchTieCount', buffers: [b.pre, b.bstate], grid: grid2d(rows) });
    out.push({ kernel: 'batchTieScan', buffers: [b.bstate], grid: [1, 1] });
  }
  out.push({ kernel: 'select', buffers: [b.pre, b.level, b.ent, b.bandEnd, b.bstate], grid: grid2d(rows) });
  return out;
}

export function densifyDispatch(ks: KernelSet, b: PlanBuffers, rows: number): Dispatch {
  return { kernel: 'densify', buffers: [b.pre, b.level, b.codes], grid: flatGrid(rows * ks.dims.dSae) };
}

export function decodeDispatch(b: PlanBuffers, rows: number): Dispatch {
  return { kernel: 'decode', buffers: [b.x, b.params, b.ent, b.bandEnd, b.rowStats, b.G, b.recon], grid: grid2d(rows) };
}

export function backwardDispatches(ks: KernelSet, b: PlanBuffers, rows: number, kcap: number): Dispatch[] {
  const { dIn, dSae } = ks.dims;
  const chunks = rowChunks(rows);
  return [
    { kernel: 'sddmm', buffers: [b.params, b.ent, b.bandEnd, b.G, b.rowStats, b.dpre], grid: [Math.ceil(kcap / 64), rows] },
    { kernel: 'columnCount', buffers: [b.level, b.off], grid: [Math.ceil(dSae / 64), chunks] },
    { kernel: 'columnScan', buffers: [b.off], grid: [1, 1] },
    { kernel: 'columnFill', buffers: [b.level, b.off, b.pre, b.dpre, b.csc], grid: [Math.ceil(dSae / 64), chunks] },
    { kernel: 'weightGrad', buffers: [b.off, b.csc, b.G, b.xc, b.grads], grid: grid2d(dSae) },
    { kernel: 'biasDecPartial', buffers: [b.G, b.params, b.grads, b.partial], grid: [Math.ceil(dIn / 64), BDEC_SPLIT] },
    { kernel: 'biasDecGrad', buffers: [b.partial, b.grads], grid: [Math.ceil(dIn / 64), 1] },
  ];
}

export function lossDispatch(ks: KernelSet, b: PlanBuffers): Dispatch {
  return { kernel: 'lossSum', buffers: [b.rowStats, b.stats], grid: [ks.dims.levels + 1, 1] };
}

export function optimizerDispatches(ks: KernelSet, b: PlanBuffers): Dispatch[] {
  return [
    { kernel: 'renormProject', buffers: [b.params, b.grads, b.sq], grid: grid2d(ks.dims.dSae) },
    { kernel: 'gradNorm', buffers: [b.sq, b.grads, b.stats], grid: [1, 1] },
    { kernel: 'adamw', buffers: [b.params, b.grads, b.m, b.v, b.stats], grid: flatGrid(ks.layout.total) },
  ];
}

function record(session: GpuSession, run: GPUBuffer, pass: GPUComputePassEncoder, d: Dispatch, pipeline: GPUComputePipeline): void {
  const layout = pipeline.getBindGroupLayout(0);
  const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: run } }, ...d.buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } }))];
  const group = session.device.createBindGroup({ label: d.kernel, layout, entries });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(d.grid[0], d.grid[1]);
}

/**
 * Record a plan. Without timing: one compute pass on `encoder` (the caller submits it with its readback).
 * With timing: each phase is submitted and waited for on its own; the seconds are added to `times`.
 */
export async function runPlan(session: GpuSession, ks: KernelSet, run: GPUBuffer, plan: Plan, encoder: GPUCommandEncoder, times?: PhaseTimes): Promise<void> {
  const names = [...new Set(PHASES.flatMap((p) => (plan[p] ?? []).map((d) => d.kernel)))];
  const pipelines = new Map((await session.race(Promise.all(names.map((n) => ks.get(n))))).map((k) => [k.name, k.pipeline]));
  const rec = (pass: GPUComputePassEncoder, d: Dispatch) => record(session, run, pass, d, pipelines.get(d.kernel)!);
  if (!times) {
    const pass = encoder.beginComputePass();
    for (const phase of PHASES) for (const d of plan[phase] ?? []) rec(pass, d);
    pass.end();
    return;
  }
  for (const phase of PHASES) {
    const list = plan[phase];
    if (!list || list.length === 0) continue;
    const t0 = performance.now();
    const enc = session.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (const d of list) rec(pass, d);
    pass.end();
    session.device.queue.submit([enc.finish()]);
    await session.race(session.device.queue.onSubmittedWorkDone());
    times[phase] += (performance.now() - t0) / 1000;
  }
}
