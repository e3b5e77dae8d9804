/**
 * The WebGPU engine: parameters, gradients and AdamW moments live in GPU buffers from load() to dispose();
 * a training step uploads the batch, runs the kernels (encode GEMM, band selection, nested-band decode,
 * backward over the kept entries, renormalization / projection / clipping / AdamW) in one submission and
 * reads back only the level losses and the gradient norm.
 */
import { type AdamState, type EngineState, type ForwardOutput, type OptimizerConfig, type SaeConfig, type SaeEngine, type SaeParams, type StepResult, validateConfig, validateParams } from '@msae/core';
import { DEFAULT_OPTIMIZER } from '@msae/core/internal';
import { checkWebGpuConfig, selectionMode } from './architecture-support.js';
import { type DeviceHandle, describeDevice, sharedDevice } from './device-pool.js';
import { WebGpuEngineError, WebGpuInputError } from './errors.js';
import type { AdapterDescription } from './gpu-context.js';
import { GpuSession } from './gpu-buffers.js';
import { BufferUsage } from './gpu-flags.js';
import { type KernelSet, kernelSet } from './kernel-set.js';
import { STATS_FLOATS } from './kernels/elementwise.js';
import { MAX_LEVELS, RUN_BYTES } from './kernels/prelude.js';
import { BSTATE } from './kernels/select-rows.js';
import { statsSlots } from './kernels/optimizer.js';
import { packParams, unpackParams } from './param-transfer.js';
import { packRun, type RunFields } from './run-uniform.js';
import { backwardDispatches, decodeDispatch, densifyDispatch, encodeDispatches, gemmBlock, lossDispatch, optimizerDispatches, type Plan, type PlanBuffers, PHASES, type PhaseTimes, rowChunks, runPlan, selectDispatches } from './step-plan.js';
import { gemmGrid, packGemmShape } from './kernels/gemm.js';
import { BDEC_SPLIT } from './kernels/backward.js';
import { Workspace } from './workspace.js';

export interface WebGpuEngineOptions {
  /** Run on this device (it is not destroyed by dispose()); default: a device shared by every engine. */
  device?: GPUDevice;
  powerPreference?: GPUPowerPreference;
  /** Allocate the per-batch buffers for this many rows at load() (default: on first use, grown as needed). */
  reserveRows?: number;
  /** Submit and time each phase separately (for the bench; slower). */
  profile?: boolean;
}

export interface WebGpuEngine extends SaeEngine {
  /** The adapter the engine runs on (software = SwiftShader / llvmpipe / ...). */
  readonly adapter: AdapterDescription;
  /** Seconds per phase, summed since the last reset (only with `profile: true`; zeros otherwise). */
  phaseTimings(): PhaseTimes;
  resetPhaseTimings(): void;
}

/** Rows per call: per-row kernels index rows on one grid dimension. */
export const MAX_ROWS = 65535;

interface Loaded {
  config: SaeConfig;
  optimizer: OptimizerConfig;
  ks: KernelSet;
  step: number;
  /** Entries per row of the kept list in training (the largest level's budget; d_sae for BatchTopK). */
  kcap: number;
  /** The architecture trains with a batch top-k (k·rows entries over the batch) instead of per-row selection. */
  batchTopK: boolean;
  fixed: Pick<PlanBuffers, 'run' | 'gemmEncodeShape' | 'gemmDecodeShape' | 'params' | 'grads' | 'm' | 'v' | 'sq' | 'partial' | 'stats'>;
}

class WebGpuSaeEngine implements WebGpuEngine {
  readonly name = 'webgpu';
  readonly adapter: AdapterDescription;
  private readonly session: GpuSession;
  private readonly workspace: Workspace;
  private loaded: Loaded | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly times: PhaseTimes = { encode: 0, topk: 0, decode: 0, backward: 0, optimizer: 0 };

  constructor(handle: DeviceHandle, private readonly options: WebGpuEngineOptions) {
    this.adapter = handle.adapter;
    this.session = new GpuSession(handle.device);
    this.workspace = new Workspace(this.session);
  }

  /** Calls run one at a time (they share the uniform block and the workspace). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private state(): Loaded {
    this.session.check();
    if (!this.loaded) throw new WebGpuEngineError('call load() first');
    return this.loaded;
  }

  load(state: EngineState): Promise<void> {
    return this.serial(async () => {
      validateConfig(state.config, 'engine config');
      checkWebGpuConfig(state.config); // jumprelu, AuxK, prefix groups: no kernels
      validateParams(state.config, state.params, 'engine params');
      if (state.adam) {
        validateParams(state.config, state.adam.m, 'engine adam.m');
        validateParams(state.config, state.adam.v, 'engine adam.v');
      }
      const config: SaeConfig = { ...state.config, nesting: state.config.nesting.slice(), weights: state.config.weights.slice() };
      const batchTopK = selectionMode(config) === 1;
      const optimizer = { ...DEFAULT_OPTIMIZER, ...(state.optimizer ?? {}) };
      this.release();
      const ks = kernelSet(this.session.device, config, optimizer);
      const total = ks.layout.total * 4;
      const uniform = BufferUsage.UNIFORM | BufferUsage.COPY_DST;
      const [run, gemmEncodeShape, gemmDecodeShape, params, grads, m, v, sq, partial, stats] = await this.session.allocate([
        { label: 'run uniform', bytes: RUN_BYTES, usage: uniform },
        { label: 'encoder GEMM shape', bytes: 16, usage: uniform },
        { label: 'decoder GEMM shape', bytes: 16, usage: uniform },
        { label: 'parameters', bytes: total },
        { label: 'gradients', bytes: total },
        { label: 'adam m', bytes: total },
        { label: 'adam v', bytes: total },
        { label: 'per-latent gradient norms', bytes: config.dSae * 4 },
        { label: 'db_dec partial sums', bytes: BDEC_SPLIT * config.dIn * 4 },
        { label: 'step statistics', bytes: STATS_FLOATS * 4 },
      ]);
      const { dIn, dSae } = config;
      this.session.write(gemmEncodeShape, packGemmShape(ks.gemmSpec('encode', 4)));
      this.session.write(gemmDecodeShape, packGemmShape(ks.gemmSpec('decode', 4)));
      this.session.write(params, packParams(state.params, dIn, dSae));
      this.session.write(m, state.adam ? packParams(state.adam.m, dIn, dSae) : new Float32Array(ks.layout.total));
      this.session.write(v, state.adam ? packParams(state.adam.v, dIn, dSae) : new Float32Array(ks.layout.total));
      const kcap = batchTopK ? dSae : Math.min(dSae, config.nesting[config.nesting.length - 1]);
      this.loaded = { config, optimizer, ks, step: state.adam?.step ?? 0, kcap, batchTopK, fixed: { run, gemmEncodeShape, gemmDecodeShape, params, grads, m, v, sq, partial, stats } };
      if (this.options.reserveRows) await this.buffers(this.options.reserveRows, kcap, true);
    });
  }

  /** The per-batch buffers for `rows` rows and `kcap` kept entries per row. */
  private async buffers(rows: number, kcap: number, forwardOutputs: boolean): Promise<PlanBuffers> {
    const { config, fixed } = this.state();
    const { dIn, dSae } = config;
    const L = config.nesting.length;
    const sizes: Record<string, number> = {
      x: rows * dIn * 4,
      xc: rows * dIn * 4,
      pre: rows * dSae * 4,
      level: rows * dSae * 4,
      ent: rows * kcap * 8,
      bandEnd: rows * MAX_LEVELS * 4,
      rowStats: rows * (L + 2) * 4,
      G: rows * L * dIn * 4,
      dpre: rows * dSae * 4,
      off: (dSae * rowChunks(rows) + 1) * 4,
      csc: rows * kcap * 16,
      bstate: (BSTATE.rows + 2 * rows) * 4,
      recon: forwardOutputs ? L * rows * dIn * 4 : 16,
      codes: forwardOutputs ? rows * dSae * 4 : 16,
    };
    const ws = await this.workspace.ensure(sizes);
    return { ...fixed, ...(ws as unknown as Omit<PlanBuffers, keyof Loaded['fixed']>) };
  }

  private checkRows(x: Float32Array, rows: number, cols: number, what: string): void {
    if (!Number.isInteger(rows) || rows < 1) throw new WebGpuInputError(`rows must be a positive integer, got ${rows}`);
    if (rows > MAX_ROWS) throw new WebGpuInputError(`at most ${MAX_ROWS} rows per call, got ${rows} (split the batch)`);
    if (!(x instanceof Float32Array) || x.length !== rows * cols) {
      throw new WebGpuInputError(`${what} must be a Float32Array of ${rows}x${cols}=${rows * cols} values, got ${(x as { length?: number })?.length}`);
    }
  }

  private runFields(rows: number, extra: Partial<RunFields>): Omit<RunFields, 'dSae' | 'dIn'> {
    const { config, kcap, batchTopK } = this.state();
    return { rows, ks: config.nesting, kcap, nChunks: rowChunks(rows), mode: batchTopK ? 1 : 0, batchCount: config.k * rows, ...extra };
  }

  /** Upload the uniform block and x, record the plan, read back the given buffers. */
  private async execute(fields: Omit<RunFields, 'dSae' | 'dIn'>, x: { buffer: GPUBuffer; data: Float32Array } | null, plan: Plan, reads: { buffer: GPUBuffer; bytes: number }[]): Promise<ArrayBuffer[]> {
    const { fixed, config, ks } = this.state();
    this.session.write(fixed.run, new Uint32Array(packRun({ ...fields, dSae: config.dSae, dIn: config.dIn })));
    if (x) this.session.write(x.buffer, x.data);
    const device = this.session.device;
    device.pushErrorScope('validation');
    const encoder = device.createCommandEncoder();
    await runPlan(this.session, ks, fixed.run, plan, encoder, this.options.profile ? this.times : undefined);
    const out = await this.session.read(reads, encoder);
    const err = await this.session.race(device.popErrorScope());
    if (err) throw new WebGpuEngineError(`internal GPU validation error: ${err.message.split('\n')[0]}`);
    return out;
  }

  private forwardPlan(ks: KernelSet, b: PlanBuffers, rows: number, batch: boolean): Plan {
    return { encode: encodeDispatches(ks, b, rows), topk: selectDispatches(ks, b, rows, batch), decode: [decodeDispatch(b, rows)] };
  }

  private losses(stats: Float32Array, rows: number): { loss: number; levelLosses: number[] } {
    const { config, ks } = this.state();
    const L = config.nesting.length;
    const levelLosses = Array.from(stats.subarray(0, L), (s) => s / rows);
    let loss = levelLosses.reduce((acc, l, i) => acc + ks.dims.coef[i] * l, 0); // sum_i w_i L_i / sum w
    if (config.l1 > 0) loss += (config.l1 * stats[L]) / rows; // + l1 mean_b(sum|z| / ||x_b||)
    return { loss, levelLosses };
  }

  forward(x: Float32Array, rows: number): Promise<ForwardOutput> {
    return this.serial(async () => {
      const { config, ks, kcap } = this.state();
      this.checkRows(x, rows, config.dIn, 'x');
      const b = await this.buffers(rows, kcap, true);
      const plan = this.forwardPlan(ks, b, rows, this.state().batchTopK);
      plan.optimizer = [densifyDispatch(ks, b, rows), lossDispatch(ks, b)];
      const L = config.nesting.length;
      const [codes, recon, stats] = await this.execute(this.runFields(rows, { writeEnt: true, wantRecon: true }), { buffer: b.x, data: x }, plan, [
        { buffer: b.codes, bytes: rows * config.dSae * 4 },
        { buffer: b.recon, bytes: L * rows * config.dIn * 4 },
        { buffer: b.stats, bytes: STATS_FLOATS * 4 },
      ]);
      const all = new Float32Array(recon);
      const recons = Array.from({ length: L }, (_, i) => all.slice(i * rows * config.dIn, (i + 1) * rows * config.dIn));
      return { codes: new Float32Array(codes), recons, ...this.losses(new Float32Array(stats), rows) };
    });
  }

  gradients(x: Float32Array, rows: number): Promise<{ loss: number; levelLosses: number[]; grads: SaeParams }> {
    return this.serial(async () => {
      const { config, ks, kcap } = this.state();
      this.checkRows(x, rows, config.dIn, 'x');
      const b = await this.buffers(rows, kcap, false);
      const plan = this.forwardPlan(ks, b, rows, this.state().batchTopK);
      plan.backward = backwardDispatches(ks, b, rows, kcap);
      plan.optimizer = [lossDispatch(ks, b)];
      const [grads, stats] = await this.execute(this.runFields(rows, { writeEnt: true, wantGrad: true }), { buffer: b.x, data: x }, plan, [
        { buffer: b.grads, bytes: ks.layout.total * 4 },
        { buffer: b.stats, bytes: STATS_FLOATS * 4 },
      ]);
      return { ...this.losses(new Float32Array(stats), rows), grads: unpackParams(new Float32Array(grads), config.dIn, config.dSae) };
    });
  }

  trainStep(x: Float32Array, rows: number, lr: number): Promise<StepResult> {
    return this.serial(async () => {
      const st = this.state();
      const { config, ks, kcap, optimizer } = st;
      this.checkRows(x, rows, config.dIn, 'x');
      if (!Number.isFinite(lr) || lr < 0) throw new WebGpuInputError(`learning rate must be a finite number >= 0, got ${lr}`);
      const b = await this.buffers(rows, kcap, false);
      const plan = this.forwardPlan(ks, b, rows, this.state().batchTopK);
      plan.backward = backwardDispatches(ks, b, rows, kcap);
      plan.optimizer = [...optimizerDispatches(ks, b), lossDispatch(ks, b)];
      const t = st.step + 1;
      const { beta1, beta2, weightDecay } = optimizer;
      const fields = this.runFields(rows, {
        writeEnt: true,
        wantGrad: true,
        lr,
        decay: 1 - lr * weightDecay, // p *= 1 - lr wd
        stepSize: lr / (1 - Math.pow(beta1, t)), // lr / (1 - b1^t)
        sqrtBc2: Math.sqrt(1 - Math.pow(beta2, t)), // sqrt(1 - b2^t)
      });
      const [stats] = await this.execute(fields, { buffer: b.x, data: x }, plan, [{ buffer: b.stats, bytes: STATS_FLOATS * 4 }]);
      st.step = t;
      const s = new Float32Array(stats);
      return { ...this.losses(s, rows), gradNorm: s[statsSlots(config.nesting.length).gradNorm] };
    });
  }

  encode(x: Float32Array, rows: number, k?: number): Promise<Float32Array> {
    return this.serial(async () => {
      const { config, ks } = this.state();
      this.checkRows(x, rows, config.dIn, 'x');
      if (k !== undefined && !(Number.isInteger(k) && k >= 1)) throw new WebGpuInputError(`encode k must be a positive integer, got ${k}`);
      const b = await this.buffers(rows, 1, true);
      const kk = k === undefined ? config.dSae : Math.min(k, config.dSae);
      const plan: Plan = { encode: encodeDispatches(ks, b, rows), topk: selectDispatches(ks, b, rows, false), decode: [densifyDispatch(ks, b, rows)] };
      const [codes] = await this.execute({ rows, ks: [kk], kcap: 1, mode: 0, writeEnt: false }, { buffer: b.x, data: x }, plan, [{ buffer: b.codes, bytes: rows * config.dSae * 4 }]);
      return new Float32Array(codes);
    });
  }

  decode(z: Float32Array, rows: number): Promise<Float32Array> {
    return this.serial(async () => {
      const { config, ks, fixed } = this.state();
      this.checkRows(z, rows, config.dSae, 'z');
      const ws = await this.workspace.ensure({ codes: rows * config.dSae * 4, xc: rows * config.dIn * 4 });
      const block = gemmBlock(rows, config.dIn);
      const plan: Plan = {
        decode: [{ kernel: block === 8 ? 'gemmDecode8' : 'gemmDecode4', buffers: [ws.codes, fixed.params, ws.xc, fixed.gemmDecodeShape], grid: gemmGrid(ks.gemmSpec('decode', block), rows) }],
      };
      const [out] = await this.execute({ rows, ks: [1], kcap: 1 }, { buffer: ws.codes, data: z }, plan, [{ buffer: ws.xc, bytes: rows * config.dIn * 4 }]);
      return new Float32Array(out);
    });
  }

  exportState(): Promise<{ params: SaeParams; adam: AdamState }> {
    return this.serial(async () => {
      const { config, ks, fixed, step } = this.state();
      const bytes = ks.layout.total * 4;
      const [p, m, v] = await this.session.read([
        { buffer: fixed.params, bytes },
        { buffer: fixed.m, bytes },
        { buffer: fixed.v, bytes },
      ]);
      const { dIn, dSae } = config;
      const un = (a: ArrayBuffer) => unpackParams(new Float32Array(a), dIn, dSae);
      return { params: un(p), adam: { m: un(m), v: un(v), step } };
    });
  }

  phaseTimings(): PhaseTimes {
    return { ...this.times };
  }

  resetPhaseTimings(): void {
    for (const p of PHASES) this.times[p] = 0;
  }

  private release(): void {
    if (this.loaded) for (const b of Object.values(this.loaded.fixed)) b.destroy();
    this.loaded = null;
    this.workspace.destroy();
  }

  dispose(): Promise<void> {
    return this.serial(async () => {
      // the device is shared (or the caller's): only this engine's buffers are freed
      if (!this.session.lost) this.release();
      this.loaded = null;
    });
  }
}

/**
 * Create the WebGPU engine: `navigator.gpu` in browsers, the optional `webgpu` package (Dawn) in Node.
 * Rejects with WebGpuUnavailableError (one line) when there is no adapter. Call load() before use.
 */
export async function createWebGpuEngine(options: WebGpuEngineOptions = {}): Promise<WebGpuEngine> {
  const handle: DeviceHandle = options.device ? { device: options.device, adapter: describeDevice(options.device) } : await sharedDevice(options.powerPreference);
  return new WebGpuSaeEngine(handle, options);
}
