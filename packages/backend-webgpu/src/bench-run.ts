/**
 * Training throughput of the WebGPU engine on one configuration, for scripts/bench.mjs and for apps/bench
 * (`msae-bench --engine webgpu`): median step time, per-phase times from a separate profiled engine (each phase
 * its own submission, waited for, so the phases add up to a little more than a step), encoding throughput and
 * the codes kept per row. Fields follow apps/bench's BenchResult.
 */
import { architectureLabel, computeNormalization, generateDemoEmbeddings, initParams, normalize, type SaeConfig } from '@msae/core';
import { webGpuEngineAvailability } from './availability.js';
import { WebGpuUnavailableError } from './errors.js';
import type { PhaseTimes } from './step-plan.js';
import { createWebGpuEngine, type WebGpuEngineOptions } from './webgpu-engine.js';

export interface WebGpuBenchOptions {
  /** Shown in the result (e.g. "A"). */
  name: string;
  config: SaeConfig;
  batch: number;
  lr: number;
  steps: number;
  warmup: number;
  /** k of the encoding measurement (default 64). */
  encodeK?: number;
  /** The normalized batch [batch, dIn] (default: core's synthetic CLIP-like demo rows, normalized). */
  x?: Float32Array;
  /** Profiled steps for the phase times (default min(steps, 3); 0 skips them). */
  profileSteps?: number;
  log?: (line: string) => void;
  engine?: Omit<WebGpuEngineOptions, 'profile' | 'reserveRows'>;
}

export interface WebGpuBenchResult {
  name: string;
  architecture: string;
  k: number;
  dIn: number;
  dSae: number;
  batch: number;
  engine: string;
  adapter: string;
  software: boolean;
  threads: number;
  steps: number;
  samplesPerSecond: number;
  secondsPerStep: number;
  peakRssBytes: number;
  phases: PhaseTimes;
  encodeK: number;
  encodeSamplesPerSecond: number;
  encodeSecondsPerBatch: number;
  finalLoss: number;
  activeCodesPerRow: number;
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Normalized synthetic CLIP-like rows (core's demo generator, normalized as the trainer does). */
export function demoBatch(rows: number, dIn: number, seed = 1): Float32Array {
  const x = generateDemoEmbeddings({ rows, dIn, seed }).x.data;
  return normalize(x, computeNormalization({ data: x, rows, cols: dIn }));
}

export async function measureWebGpuTraining(o: WebGpuBenchOptions): Promise<WebGpuBenchResult> {
  const log = o.log ?? (() => undefined);
  const availability = await webGpuEngineAvailability();
  if (!availability.available) throw new WebGpuUnavailableError(availability.reason ?? 'no WebGPU adapter');
  const { config, batch, lr } = o;
  const params = initParams(config, 42);
  const x = o.x ?? demoBatch(batch, config.dIn);
  const encodeK = o.encodeK ?? 64;
  const engine = await createWebGpuEngine({ ...o.engine, reserveRows: batch });
  await engine.load({ config, params });
  let loss = Number.NaN;
  for (let s = 0; s < o.warmup; s++) {
    loss = (await engine.trainStep(x, batch, lr)).loss;
    log(`${o.name}: warm-up step ${s + 1}/${o.warmup} loss ${loss.toFixed(4)}`);
  }
  const times: number[] = [];
  for (let s = 0; s < o.steps; s++) {
    const t0 = performance.now();
    loss = (await engine.trainStep(x, batch, lr)).loss;
    times.push((performance.now() - t0) / 1000);
    log(`${o.name}: step ${s + 1}/${o.steps} ${times[s].toFixed(4)} s loss ${loss.toFixed(4)}`);
  }
  await engine.encode(x, batch, encodeK); // warm-up
  const enc: number[] = [];
  for (let s = 0; s < 3; s++) {
    const t0 = performance.now();
    await engine.encode(x, batch, encodeK);
    enc.push((performance.now() - t0) / 1000);
  }
  const kMax = config.nesting[config.nesting.length - 1];
  const codes = await engine.encode(x, batch, kMax);
  let kept = 0;
  for (let i = 0; i < codes.length; i++) kept += codes[i] !== 0 ? 1 : 0;
  await engine.dispose();

  const phases: PhaseTimes = { encode: 0, topk: 0, decode: 0, backward: 0, optimizer: 0 };
  const profileSteps = o.profileSteps ?? Math.min(o.steps, 3);
  if (profileSteps > 0) {
    const prof = await createWebGpuEngine({ ...o.engine, reserveRows: batch, profile: true });
    await prof.load({ config, params });
    await prof.trainStep(x, batch, lr);
    prof.resetPhaseTimings();
    for (let s = 0; s < profileSteps; s++) await prof.trainStep(x, batch, lr);
    const t = prof.phaseTimings();
    await prof.dispose();
    for (const k of Object.keys(phases) as (keyof PhaseTimes)[]) phases[k] = t[k] / profileSteps;
  }
  const secondsPerStep = median(times);
  const encodeSecondsPerBatch = median(enc);
  return {
    name: o.name,
    architecture: architectureLabel(config),
    k: kMax,
    dIn: config.dIn,
    dSae: config.dSae,
    batch,
    engine: `webgpu (${availability.label})`,
    adapter: availability.label ?? '',
    software: availability.software === true,
    threads: 0,
    steps: o.steps,
    samplesPerSecond: batch / secondsPerStep,
    secondsPerStep,
    peakRssBytes: typeof process !== 'undefined' && process.resourceUsage ? process.resourceUsage().maxRSS * 1024 : 0,
    phases,
    encodeK,
    encodeSamplesPerSecond: batch / encodeSecondsPerBatch,
    encodeSecondsPerBatch,
    finalLoss: loss,
    activeCodesPerRow: kept / batch,
  };
}
