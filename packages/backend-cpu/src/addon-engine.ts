/**
 * The engine over the native kernels' addon interface (no Node imports, so browsers can bundle it): the native
 * N-API addon for the `cpu` engine, or the same C++ compiled to WebAssembly for `wasm` (@msae/backend-wasm).
 * The fast CPU engine: every batch computation runs in the native addon (blocked FMA GEMM for the encoder,
 * band-wise sparse decode/backward for the codes, fused optimizer), multi-threaded over the machine's cores.
 *
 * Internally W_enc is stored transposed (W_encT [dSae, dIn], one row per latent, like W_dec), and so are its
 * gradient and Adam moments; load() and exportState() convert from/to the SAELens layout W_enc [dIn, dSae].
 */
import { type AdamState, ArgumentError, type EngineState, type ForwardOutput, type OptimizerConfig, type SaeConfig, type SaeEngine, type SaeParams, type StepResult, validateConfig, validateParams } from '@msae/core';
import { DEFAULT_OPTIMIZER, auxKEnabled, checkEngineRows, deadLatentMask, updateSamplesSinceFired } from '@msae/core/internal';
import type { NativeAddon, NativeContext } from './native-binding.js';
import { transpose } from './transpose.js';
import { checkCpuEngineConfig, nativeActivationCode } from './architecture-support.js';

/** Per-phase wall time of the native calls, in seconds, accumulated since the last reset. */
export interface PhaseTimings {
  encode: number;
  topk: number;
  decode: number;
  backward: number;
  optimizer: number;
}

/** The engine returned by createCpuEngine: a SaeEngine plus phase timings and thread count (for the bench). */
export interface CpuEngine extends SaeEngine {
  /** Threads the native pool runs. */
  readonly threads: number;
  /** Kernel variant in use: `avx512` (AVX-512 F/VL/BW/DQ), `avx2` (AVX2 + FMA) or `base` (see nativeKernelInfo). */
  readonly variant: string;
  phaseTimings(): PhaseTimings;
  resetPhaseTimings(): void;
}

const MODE = { encode: 0, forward: 1, gradients: 2 } as const;

interface Tensors {
  W_encT: Float32Array;
  b_enc: Float32Array;
  W_dec: Float32Array;
  b_dec: Float32Array;
}

function zeros(dIn: number, dSae: number): Tensors {
  return { W_encT: new Float32Array(dIn * dSae), b_enc: new Float32Array(dSae), W_dec: new Float32Array(dSae * dIn), b_dec: new Float32Array(dIn) };
}

/** SAELens params -> internal tensors (copies). */
function toInternal(p: SaeParams, dIn: number, dSae: number): Tensors {
  return { W_encT: transpose(p.W_enc, dIn, dSae), b_enc: p.b_enc.slice(), W_dec: p.W_dec.slice(), b_dec: p.b_dec.slice() };
}

/** Internal tensors -> SAELens params (copies). */
function toParams(t: Tensors, dIn: number, dSae: number): SaeParams {
  return { W_enc: transpose(t.W_encT, dSae, dIn), b_enc: t.b_enc.slice(), W_dec: t.W_dec.slice(), b_dec: t.b_dec.slice() };
}

interface Loaded {
  config: SaeConfig;
  optimizer: OptimizerConfig;
  p: Tensors;
  g: Tensors;
  m: Tensors;
  v: Tensors;
  step: number;
  /** Level budgets passed to the native selection: msae nesting, topk/batchtopk [k], relu [dSae]. */
  nesting: number[];
  /** c_i = w_i / sum w */
  coef: number[];
  /** AuxK (null when off): samples since each latent fired at level 0, and the native pass's buffers. */
  aux: { since: Float32Array; fired: Uint8Array; out: Float64Array } | null;
}

/** What an addon engine runs on: the addon, its kernel variant, the threads to ask for (0 = every core) and its name. */
export interface AddonEngineSpec {
  addon: NativeAddon;
  variant: string;
  threads: number;
  /** The engine's registered name (`cpu`, `wasm`); error messages start with it. */
  name: string;
}

class AddonEngine implements CpuEngine {
  readonly name: string;
  readonly threads: number;
  readonly variant: string;
  private addon: NativeAddon;
  private ctx: NativeContext | null;
  private state: Loaded | null = null;
  private timings = new Float64Array(5);
  private readonly what: string;

  constructor(spec: AddonEngineSpec) {
    const { addon, variant, threads, name } = spec;
    this.name = name;
    this.what = `${name} engine`;
    if (!Number.isInteger(threads) || threads < 0) throw new ArgumentError(`${this.what}`, `threads must be a non-negative integer, got ${threads}`);
    this.addon = addon;
    this.ctx = addon.create(threads);
    this.variant = addon.variant ? addon.variant(this.ctx) : variant; // what the context runs, where the addon says
    this.threads = addon.threads(this.ctx);
  }

  // One native call at a time per context: calls queue behind the pending one (the native steps run off the
  // JS thread, so the event loop stays free while they run).
  private queue: Promise<unknown> = Promise.resolve();
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private live(): { ctx: NativeContext; s: Loaded } {
    if (!this.ctx) throw new ArgumentError(`${this.what}`, `disposed`);
    if (!this.state) throw new ArgumentError(`${this.what}`, `call load() first`);
    return { ctx: this.ctx, s: this.state };
  }

  private checkRows(what: 'x' | 'z', data: Float32Array, rows: number, cols: number): void {
    checkEngineRows(this.what.replace(/ engine$/, ''), data, rows, cols, what);
  }

  load(state: EngineState): Promise<void> {
    return this.serial(() => this.loadNow(state));
  }

  private async loadNow(state: EngineState): Promise<void> {
    if (!this.ctx) throw new ArgumentError(`${this.what}`, `disposed`);
    const config = state.config;
    validateConfig(config, 'engine config');
    checkCpuEngineConfig(config, this.name); // jumprelu: no native kernels
    validateParams(config, state.params, 'engine params');
    if (state.adam) {
      validateParams(config, state.adam.m, 'engine adam.m');
      validateParams(config, state.adam.v, 'engine adam.v');
    }
    const { dIn, dSae } = config;
    // validateConfig guarantees the levels: [k] for topk/batchtopk, [d_sae] for relu, the nesting list for msae
    const nesting = config.nesting.slice();
    const weights = config.weights;
    const wSum = weights.reduce((a, b) => a + b, 0);
    this.state = {
      config: { ...config, nesting: config.nesting.slice(), weights: config.weights.slice() },
      optimizer: { ...DEFAULT_OPTIMIZER, ...(state.optimizer ?? {}) },
      p: toInternal(state.params, dIn, dSae),
      g: zeros(dIn, dSae),
      m: state.adam ? toInternal(state.adam.m, dIn, dSae) : zeros(dIn, dSae),
      v: state.adam ? toInternal(state.adam.v, dIn, dSae) : zeros(dIn, dSae),
      step: state.adam?.step ?? 0,
      nesting,
      coef: weights.map((w) => w / wSum), // c_i = w_i / sum_i w_i
      aux: auxKEnabled(config) ? { since: sinceOf(state, dSae, this.what), fired: new Uint8Array(dSae), out: new Float64Array(2) } : null,
    };
  }

  private passOptions(s: Loaded, x: Float32Array, rows: number, mode: number): Record<string, unknown> {
    const { config, p } = s;
    return {
      mode,
      rows,
      x,
      dIn: config.dIn,
      dSae: config.dSae,
      W_encT: p.W_encT,
      b_enc: p.b_enc,
      W_dec: p.W_dec,
      b_dec: p.b_dec,
      arch: nativeActivationCode(config, this.name),
      nesting: s.nesting,
      coef: s.coef,
      batchK: config.k,
      mse: config.loss === 'mse' ? 1 : 0,
      l1: Math.max(config.l1, 0),
      timings: this.timings,
      // AuxK (aux_k.h): the dead mask of the current counts in, fired latents and [L_aux, #dead] out
      ...(s.aux && mode !== MODE.encode
        ? { auxK: config.auxK, auxWeight: config.auxWeight, dead: deadLatentMask(s.aux.since, config.deadAfter!), fired: s.aux.fired, auxOut: s.aux.out }
        : {}),
    };
  }

  /** The pass's loss plus auxWeight * L_aux (AuxK on). */
  private withAux(s: Loaded, loss: number): { loss: number; auxLoss?: number } {
    if (!s.aux) return { loss };
    return { loss: loss + (s.config.auxWeight ?? 0) * s.aux.out[0], auxLoss: s.aux.out[0] };
  }

  forward(x: Float32Array, rows: number): Promise<ForwardOutput> {
    return this.serial(() => this.forwardNow(x, rows));
  }

  private async forwardNow(x: Float32Array, rows: number): Promise<ForwardOutput> {
    const { ctx, s } = this.live();
    const { dIn, dSae } = s.config;
    this.checkRows('x', x, rows, dIn);
    const L = s.nesting.length;
    const codes = new Float32Array(rows * dSae);
    const recons = new Float32Array(L * rows * dIn);
    const levelLosses = new Float64Array(L);
    const loss = await this.addon.passAsync(ctx, { ...this.passOptions(s, x, rows, MODE.forward), codes, recons, levelLosses });
    return {
      codes,
      recons: Array.from({ length: L }, (_, i) => recons.slice(i * rows * dIn, (i + 1) * rows * dIn)),
      levelLosses: Array.from(levelLosses),
      ...this.withAux(s, loss),
    };
  }

  /** Loss and raw gradients into s.g (internal layout). */
  private async computeGradients(ctx: NativeContext, s: Loaded, x: Float32Array, rows: number): Promise<{ loss: number; levelLosses: number[]; auxLoss?: number }> {
    this.checkRows('x', x, rows, s.config.dIn);
    const levelLosses = new Float64Array(s.nesting.length);
    const loss = await this.addon.passAsync(ctx, {
      ...this.passOptions(s, x, rows, MODE.gradients),
      levelLosses,
      gW_encT: s.g.W_encT,
      gb_enc: s.g.b_enc,
      gW_dec: s.g.W_dec,
      gb_dec: s.g.b_dec,
    });
    return { ...this.withAux(s, loss), levelLosses: Array.from(levelLosses) };
  }

  gradients(x: Float32Array, rows: number): Promise<{ loss: number; levelLosses: number[]; grads: SaeParams }> {
    return this.serial(() => this.gradientsNow(x, rows));
  }

  private async gradientsNow(x: Float32Array, rows: number): Promise<{ loss: number; levelLosses: number[]; grads: SaeParams }> {
    const { ctx, s } = this.live();
    const { auxLoss: _aux, ...r } = await this.computeGradients(ctx, s, x, rows);
    this.readBack(s.g);
    return { ...r, grads: toParams(s.g, s.config.dIn, s.config.dSae) };
  }

  trainStep(x: Float32Array, rows: number, lr: number): Promise<StepResult> {
    return this.serial(() => this.trainStepNow(x, rows, lr));
  }

  private async trainStepNow(x: Float32Array, rows: number, lr: number): Promise<StepResult> {
    const { ctx, s } = this.live();
    if (!(typeof lr === 'number' && Number.isFinite(lr) && lr >= 0)) throw new ArgumentError(`${this.what}`, `lr must be a finite number >= 0, got ${lr}`);
    const r = await this.computeGradients(ctx, s, x, rows); // (1)
    s.step += 1;
    const o = s.optimizer;
    const gradNorm = await this.addon.updateAsync(ctx, {
      dIn: s.config.dIn,
      dSae: s.config.dSae,
      lr,
      beta1: o.beta1,
      beta2: o.beta2,
      eps: o.eps,
      weightDecay: o.weightDecay,
      clipNorm: o.clipNorm,
      step: s.step,
      timings: this.timings,
      W_encT: s.p.W_encT, gW_encT: s.g.W_encT, mW_encT: s.m.W_encT, vW_encT: s.v.W_encT,
      b_enc: s.p.b_enc, gb_enc: s.g.b_enc, mb_enc: s.m.b_enc, vb_enc: s.v.b_enc,
      W_dec: s.p.W_dec, gW_dec: s.g.W_dec, mW_dec: s.m.W_dec, vW_dec: s.v.W_dec,
      b_dec: s.p.b_dec, gb_dec: s.g.b_dec, mb_dec: s.m.b_dec, vb_dec: s.v.b_dec,
    }); // (2)-(5)
    if (!s.aux) return { ...r, gradNorm };
    updateSamplesSinceFired(s.aux.since, s.aux.fired, rows, s.config.deadAfter!); // (6)
    return { ...r, gradNorm, deadLatents: s.aux.out[1] };
  }

  encode(x: Float32Array, rows: number, k?: number): Promise<Float32Array> {
    return this.serial(() => this.encodeNow(x, rows, k));
  }

  private async encodeNow(x: Float32Array, rows: number, k?: number): Promise<Float32Array> {
    const { ctx, s } = this.live();
    this.checkRows('x', x, rows, s.config.dIn);
    if (k !== undefined && !(Number.isInteger(k) && k >= 1)) throw new ArgumentError(`${this.what}`, `encode k must be a positive integer, got ${k}`);
    const codes = new Float32Array(rows * s.config.dSae);
    await this.addon.passAsync(ctx, { ...this.passOptions(s, x, rows, MODE.encode), k: k ?? -1, codes });
    return codes;
  }

  decode(z: Float32Array, rows: number): Promise<Float32Array> {
    return this.serial(() => this.decodeNow(z, rows));
  }

  private async decodeNow(z: Float32Array, rows: number): Promise<Float32Array> {
    const { ctx, s } = this.live();
    const { dIn, dSae } = s.config;
    this.checkRows('z', z, rows, dSae);
    const out = new Float32Array(rows * dIn);
    this.addon.decode(ctx, z, rows, s.p.W_dec, s.p.b_dec, dSae, dIn, out); // z W_dec + b_dec
    return out;
  }

  exportState(): Promise<{ params: SaeParams; adam: AdamState }> {
    return this.serial(() => this.exportStateNow());
  }

  private async exportStateNow(): Promise<{ params: SaeParams; adam: AdamState }> {
    const { s } = this.live();
    const { dIn, dSae } = s.config;
    for (const t of [s.p, s.m, s.v]) this.readBack(t);
    const adam: AdamState = { m: toParams(s.m, dIn, dSae), v: toParams(s.v, dIn, dSae), step: s.step };
    if (s.aux) adam.samplesSinceFired = s.aux.since.slice();
    return { params: toParams(s.p, dIn, dSae), adam };
  }

  dispose(): Promise<void> {
    return this.serial(() => this.disposeNow());
  }

  private async disposeNow(): Promise<void> {
    if (this.ctx) this.addon.dispose(this.ctx);
    this.ctx = null;
    this.state = null;
  }

  /** The tensors' current values in their JS arrays (addons holding them elsewhere copy them back). */
  private readBack(t: Tensors): void {
    if (!this.addon.readBack) return;
    for (const a of [t.W_encT, t.b_enc, t.W_dec, t.b_dec]) this.addon.readBack(a);
  }

  phaseTimings(): PhaseTimings {
    const t = this.timings;
    return { encode: t[0], topk: t[1], decode: t[2], backward: t[3], optimizer: t[4] };
  }

  resetPhaseTimings(): void {
    this.timings.fill(0);
  }
}

/** The AuxK counts to start from (a copy of adam.samplesSinceFired, else zeros). */
function sinceOf(state: EngineState, dSae: number, what: string): Float32Array {
  const since = state.adam?.samplesSinceFired;
  if (since && since.length !== dSae) throw new ArgumentError(`${what}`, `adam.samplesSinceFired has ${since.length} values, expected d_sae (${dSae})`);
  return since ? since.slice() : new Float32Array(dSae);
}

/** An engine over `spec.addon` (call load() before use). */
export function createAddonEngine(spec: AddonEngineSpec): CpuEngine {
  return new AddonEngine(spec);
}
