/**
 * What every kernel shares: the per-call uniform block (`Run`), the parameter layout and the shape constants
 * each shader is specialised with (shaders are generated per engine configuration, so d_in, d_sae and the
 * loss are compile-time constants; the batch size and the nesting budgets are run-time uniforms).
 */
import type { OptimizerConfig, SaeConfig } from '@msae/core';
import { WebGpuInputError } from '../errors.js';

/** The most nesting levels one selection handles (k0 = 1 up to d_sae = 32768 is 16 levels). */
export const MAX_LEVELS = 16;

/** Shape and loss constants a shader is compiled with. */
export interface KernelDims {
  dIn: number;
  dSae: number;
  /** Training levels (config.nesting.length). */
  levels: number;
  /** c_i = w_i / sum w, per training level. */
  coef: number[];
  mse: boolean;
  l1: number;
  optimizer: OptimizerConfig;
}

export function kernelDims(config: SaeConfig, optimizer: OptimizerConfig): KernelDims {
  const wSum = config.weights.reduce((a, b) => a + b, 0);
  return {
    dIn: config.dIn,
    dSae: config.dSae,
    levels: config.nesting.length,
    coef: config.weights.map((w) => w / wSum),
    mse: config.loss === 'mse',
    l1: config.l1,
    optimizer,
  };
}

/**
 * Offsets (in floats) of the four tensors in the one parameter buffer (gradients and Adam moments use the same
 * layout): W_encT [dSae, dIn] (W_enc transposed: one row per latent), b_enc [dSae], W_dec [dSae, dIn], b_dec [dIn].
 */
export function paramLayout(dIn: number, dSae: number): { wEnc: number; bEnc: number; wDec: number; bDec: number; total: number } {
  const sd = dSae * dIn;
  return { wEnc: 0, bEnc: sd, wDec: sd + dSae, bDec: 2 * sd + dSae, total: 2 * sd + dSae + dIn };
}

/** Byte size of the Run uniform block. */
export const RUN_BYTES = 128;

/** WGSL: the Run uniform block (layout mirrored by `writeRun` in run-uniform.ts). */
export const RUN_WGSL = /* wgsl */ `
struct Run {
  rows: u32, nLevels: u32, kcap: u32, mode: u32,
  batchCount: u32, writeEnt: u32, wantRecon: u32, wantGrad: u32,
  lr: f32, decay: f32, stepSize: f32, sqrtBc2: f32,
  nChunks: u32, dSae: u32, dIn: u32, r2: u32,
  ks: array<vec4<u32>, 4>,
}
@group(0) @binding(0) var<uniform> run: Run;
fn levelK(i: u32) -> u32 { return run.ks[i / 4u][i % 4u]; }
`;

/** WGSL float literal. */
export function f32(v: number): string {
  if (!Number.isFinite(v)) throw new WebGpuInputError(`not a finite shader constant: ${v}`);
  const s = Math.fround(v).toPrecision(9);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** Flat invocation index of a 1-D elementwise kernel dispatched as a 2-D grid of 256-wide workgroups. */
export const FLAT_INDEX_WGSL = /* wgsl */ `
fn flatIndex(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 { return (wid.y * nwg.x + wid.x) * 256u + lid; }
`;
