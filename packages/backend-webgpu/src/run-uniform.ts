/** The per-call uniform block (layout of RUN_WGSL in kernels/prelude.ts). */
import { MAX_LEVELS, RUN_BYTES } from './kernels/prelude.js';
import { WebGpuInputError } from './errors.js';

export interface RunFields {
  rows: number;
  /** Nesting budgets of this call (training levels, or [k] for encode). */
  ks: number[];
  /** Capacity (entries per row) of the kept-entry list. */
  kcap: number;
  /** 0: per-row selection, 1: BatchTopK. */
  mode?: 0 | 1;
  batchCount?: number;
  writeEnt?: boolean;
  wantRecon?: boolean;
  wantGrad?: boolean;
  lr?: number;
  decay?: number;
  stepSize?: number;
  sqrtBc2?: number;
  nChunks?: number;
  /** Shape of the engine (read by the shape-generic kernels: GEMM, selection). */
  dSae: number;
  dIn: number;
}

export function packRun(f: RunFields): ArrayBuffer {
  if (f.ks.length < 1 || f.ks.length > MAX_LEVELS) throw new WebGpuInputError(`1 to ${MAX_LEVELS} nesting levels supported, got ${f.ks.length}`);
  const buf = new ArrayBuffer(RUN_BYTES);
  const u = new Uint32Array(buf);
  const fl = new Float32Array(buf);
  u[0] = f.rows;
  u[1] = f.ks.length;
  u[2] = f.kcap;
  u[3] = f.mode ?? 0;
  u[4] = f.batchCount ?? 0;
  u[5] = f.writeEnt ? 1 : 0;
  u[6] = f.wantRecon ? 1 : 0;
  u[7] = f.wantGrad ? 1 : 0;
  fl[8] = f.lr ?? 0;
  fl[9] = f.decay ?? 1;
  fl[10] = f.stepSize ?? 0;
  fl[11] = f.sqrtBc2 ?? 1;
  u[12] = f.nChunks ?? 1;
  u[13] = f.dSae;
  u[14] = f.dIn;
  f.ks.forEach((k, i) => (u[16 + i] = k));
  return buf;
}
