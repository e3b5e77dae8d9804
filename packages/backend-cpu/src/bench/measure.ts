import { initParams } from '@msae/core';
import { createCpuEngine } from '../cpu-engine.js';
import type { BenchConfig } from './configs.js';
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
  dIn: number;
  dSae: number;
  batch: number;
  engine: string;
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
}

export interface MeasureOptions {
  steps: number;
  warmup: number;
  threads?: number;
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
  const lr = config.architecture === 'msae' ? 1e-4 : 5e-4;
  const x = syntheticBatch(batch, config.dIn, 1); // the PyTorch baseline trains on this same batch
  const engine = createCpuEngine({ threads: opts.threads });
  await engine.load({ config, params: initParams(config, 42) });
  let loss = NaN;
  for (let s = 0; s < opts.warmup; s++) {
    loss = (await engine.trainStep(x, batch, lr)).loss;
    opts.log(`${bc.name}: warm-up step ${s + 1}/${opts.warmup} loss ${loss.toFixed(4)}`);
  }
  engine.resetPhaseTimings();
  const times: number[] = [];
  for (let s = 0; s < opts.steps; s++) {
    const t0 = performance.now();
    loss = (await engine.trainStep(x, batch, lr)).loss;
    times.push((performance.now() - t0) / 1000);
    opts.log(`${bc.name}: step ${s + 1}/${opts.steps} ${times[s].toFixed(3)} s loss ${loss.toFixed(4)}`);
  }
  const t = engine.phaseTimings();
  const per = (v: number) => v / opts.steps;
  const phases = { encode: per(t.encode), topk: per(t.topk), decode: per(t.decode), backward: per(t.backward), optimizer: per(t.optimizer) };
  await engine.encode(x, batch, bc.encodeK); // warm-up
  const encTimes: number[] = [];
  for (let s = 0; s < Math.max(3, opts.steps); s++) {
    const t0 = performance.now();
    await engine.encode(x, batch, bc.encodeK);
    encTimes.push((performance.now() - t0) / 1000);
  }
  const threads = engine.threads;
  const variant = engine.variant;
  await engine.dispose();
  const secondsPerStep = median(times);
  const encodeSecondsPerBatch = median(encTimes);
  return {
    name: bc.name,
    architecture: config.architecture + (config.architecture === 'msae' ? `-${config.weighting}` : ''),
    dIn: config.dIn,
    dSae: config.dSae,
    batch,
    engine: `cpu (native ${variant}, ${threads} threads)`,
    threads,
    steps: opts.steps,
    samplesPerSecond: batch / secondsPerStep,
    secondsPerStep,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    phases,
    encodeK: bc.encodeK,
    encodeSamplesPerSecond: batch / encodeSecondsPerBatch,
    encodeSecondsPerBatch,
    finalLoss: loss,
  };
}
