import { architectureLabel, getArchitecture, initParams } from '@msae/core';
import { createEngine, createMatmulProvider, engineDetails } from '@msae/engines';
import { timedSteps } from '@msae/training';
import type { BenchConfig } from './configs.js';
import { floorSeconds, stepFlops } from './flop-count.js';
import { profiledPhases } from './profiled-phases.js';
import { syntheticBatch } from './synthetic-batch.js';

export interface PhaseSeconds {
  encode: number;
  topk: number;
  decode: number;
  backward: number;
  optimizer: number;
}

/** One configuration's measurements (a record of the --json output). */
export interface BenchResult {
  name: string;
  architecture: string;
  /** Largest code budget: TopK's k, or an MSAE's last nesting level (d_sae). */
  k: number;
  dIn: number;
  dSae: number;
  batch: number;
  engine: string;
  /** Native kernel variant that ran (avx512 / avx2 / base), the ones this CPU supports, and the CPU. */
  kernel?: string;
  kernelsSupported?: string[];
  cpuModel?: string;
  /** The WebGPU adapter (webgpu), and whether it is a software one (SwiftShader, llvmpipe, ...). */
  adapter?: string;
  software?: boolean;
  /** Clock of every time here: wall, or process CPU time / threads (MSAE_CPU_TIMING=cpu, see stopwatch). */
  clock?: 'wall' | 'cpu';
  threads: number;
  steps: number;
  samplesPerSecond: number;
  /** Median over the timed steps. */
  secondsPerStep: number;
  peakRssBytes: number;
  /** Mean seconds per step of each phase. */
  phases: PhaseSeconds;
  /** Encoding for evaluation (x -> each row's top-k codes, dense output). */
  encodeK: number;
  encodeSamplesPerSecond: number;
  encodeSecondsPerBatch: number;
  finalLoss: number;
  /** Mean codes kept per row at the largest level after the timed steps (what the sparse products touch). */
  activeCodesPerRow?: number;
  /** Products of one step counted from those codes (see flop-count.ts), in GFLOP. */
  gflopPerStep?: number;
  /** gflopPerStep / secondsPerStep. */
  gflopPerSecond?: number;
  /** This machine's dense GEMM rate on the encoder's shape ([batch, d_in] x [d_in, d_sae]), same threads. */
  gemmGflopPerSecond?: number;
  /** gflopPerStep at gemmGflopPerSecond: the step time if every product ran as fast as the dense GEMM. */
  floorSecondsPerStep?: number;
  /** secondsPerStep / floorSecondsPerStep (1 = every product at the dense GEMM rate). */
  stepOverFloor?: number;
}

/**
 * Dense GEMM rate (FLOP/s) on [rows, dIn] x [dIn, dSae] with `threads` threads, median of 3 after one warm-up.
 * Runs the `cpu` matmul provider of @msae/engines, the native gemmABt (its shared pool takes MSAE_CPU_THREADS when first used: call this once per
 * process, as the bench's per-config worker does).
 */
export async function measureGemmRate(rows: number, dIn: number, dSae: number, threads: number): Promise<number> {
  process.env.MSAE_CPU_THREADS = String(threads);
  const gemmABt = await createMatmulProvider('cpu');
  const a = { data: new Float32Array(rows * dIn).map((_, i) => Math.sin(i)), rows, cols: dIn };
  const b = { data: new Float32Array(dSae * dIn).map((_, i) => Math.cos(i)), rows: dSae, cols: dIn };
  const out = new Float32Array(rows * dSae);
  const times: number[] = [];
  for (let r = 0; r < 4; r++) {
    const elapsed = stopwatch(threads);
    await gemmABt(a, b, out); // out = a b^T
    if (r > 0) times.push(elapsed());
  }
  return (2 * rows * dIn * dSae) / median(times);
}

/**
 * Seconds since the returned start: wall time, or with MSAE_CPU_TIMING=cpu (as the engine's phase timings) this
 * process's CPU time divided by `threads`, which on a machine shared with other jobs measures what the run itself
 * costs (a step and the GEMM rate are then compared on the same clock).
 */
export function stopwatch(threads: number): () => number {
  if (process.env.MSAE_CPU_TIMING === 'cpu') {
    const t0 = process.cpuUsage();
    return () => {
      const d = process.cpuUsage(t0);
      return (d.user + d.system) / 1e6 / threads;
    };
  }
  const t0 = performance.now();
  return () => (performance.now() - t0) / 1000;
}

export interface MeasureOptions {
  steps: number;
  warmup: number;
  threads?: number;
  /** Our engine, by its @msae/engines name (default cpu). */
  engine?: 'cpu' | 'webgpu';
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

export function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Train `warmup` + `steps` steps of one config on our engine, then time encoding. Run in its own process (peak RSS). */
export async function measureConfig(bc: BenchConfig, opts: MeasureOptions): Promise<BenchResult> {
  const { config, batch } = bc;
  const lr = getArchitecture(config.architecture).defaults.lr;
  const x = syntheticBatch(batch, config.dIn, 1); // the PyTorch baseline trains on this same batch
  const engineName = opts.engine ?? 'cpu';
  const engine = await createEngine(engineName, { threads: opts.threads, reserveRows: batch });
  const engineThreads = engine.threads ?? 1;
  await engine.load({ config, params: initParams(config, 42) });
  const { seconds: times, loss } = await timedSteps(engine, x, batch, {
    lr,
    warmup: opts.warmup,
    steps: opts.steps,
    stopwatch: () => stopwatch(engineThreads),
    afterWarmup: () => engine.resetPhaseTimings?.(),
    onStep: (s) =>
      opts.log(
        s.phase === 'warmup'
          ? `${bc.name}: warm-up step ${s.step}/${s.of} loss ${s.loss.toFixed(4)}`
          : `${bc.name}: step ${s.step}/${s.of} ${s.seconds!.toFixed(3)} s loss ${s.loss.toFixed(4)}`,
      ),
  });
  const t = engine.phaseTimings?.() ?? { encode: 0, topk: 0, decode: 0, backward: 0, optimizer: 0 };
  // per step; the engine's CPU-clock phase timings are summed over its threads (this file's clock divides by them)
  const per = (v: number) => v / opts.steps / (process.env.MSAE_CPU_TIMING === 'cpu' ? engineThreads : 1);
  let phases: PhaseSeconds = {
    encode: per(t.encode),
    topk: per(t.topk),
    decode: per(t.decode),
    backward: per(t.backward),
    optimizer: per(t.optimizer),
  };
  await engine.encode(x, batch, bc.encodeK); // warm-up
  const encTimes: number[] = [];
  for (let s = 0; s < Math.max(3, opts.steps); s++) {
    const elapsed = stopwatch(engineThreads);
    await engine.encode(x, batch, bc.encodeK);
    encTimes.push(elapsed());
  }
  const peakRssBytes = process.resourceUsage().maxRSS * 1024; // training + encoding, before the extra measurements
  // codes kept per row at the largest level (= nonzeros of an encode at k_max)
  const kMax = config.nesting[config.nesting.length - 1];
  const codes = await engine.encode(x, batch, kMax);
  let kept = 0;
  for (let i = 0; i < codes.length; i++) kept += codes[i] !== 0 ? 1 : 0;
  const activeCodesPerRow = kept / batch;
  const threads = engine.threads ?? 0;
  const details = await engineDetails(engine);
  const variant = details.kernel;
  await engine.dispose();
  // webgpu times its phases only when made with `profile: true`, which slows its steps: a second engine measures them
  if (engineName === 'webgpu') phases = await profiledPhases(engineName, config, x, batch, lr, Math.min(opts.steps, 3));
  const secondsPerStep = median(times);
  const flops = stepFlops(batch, config.dIn, config.dSae, activeCodesPerRow);
  // the engine's thread count; the floor is the cpu engine's (its products at this CPU's dense GEMM rate)
  const gemmRate = engineName === 'cpu' ? await measureGemmRate(batch, config.dIn, config.dSae, threads) : undefined;
  const encodeSecondsPerBatch = median(encTimes);
  return {
    name: bc.name,
    architecture: architectureLabel(config),
    k: kMax,
    dIn: config.dIn,
    dSae: config.dSae,
    batch,
    engine: engineName === 'cpu' ? `cpu (native ${variant} kernels, ${threads} threads)` : `webgpu (${details.adapter})`,
    kernel: variant,
    kernelsSupported: details.kernelsSupported,
    cpuModel: details.cpuModel,
    adapter: details.adapter,
    software: details.software,
    clock: process.env.MSAE_CPU_TIMING === 'cpu' ? 'cpu' : 'wall',
    threads,
    steps: opts.steps,
    samplesPerSecond: batch / secondsPerStep,
    secondsPerStep,
    peakRssBytes,
    phases,
    encodeK: bc.encodeK,
    encodeSamplesPerSecond: batch / encodeSecondsPerBatch,
    encodeSecondsPerBatch,
    finalLoss: loss,
    activeCodesPerRow,
    gflopPerStep: flops.total / 1e9,
    gflopPerSecond: flops.total / 1e9 / secondsPerStep,
    ...(gemmRate === undefined
      ? {}
      : {
          gemmGflopPerSecond: gemmRate / 1e9,
          floorSecondsPerStep: floorSeconds(flops, gemmRate),
          stepOverFloor: secondsPerStep / floorSeconds(flops, gemmRate),
        }),
  };
}
