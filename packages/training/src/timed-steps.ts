import type { SaeEngine } from '@msae/core';
import { checkLoss } from './divergence.js';

export interface TimedStepsOptions {
  /** Constant learning rate of every step (a throughput measurement, no schedule). */
  lr: number;
  /** Untimed steps first (JIT, kernel compilation, caches). */
  warmup: number;
  /** Timed steps. */
  steps: number;
  /** Starts a clock and returns its reading in seconds (default: wall time). */
  stopwatch?: () => () => number;
  /** After the warm-up, before the first timed step (e.g. reset the engine's phase timings). */
  afterWarmup?: () => void;
  onStep?: (s: { phase: 'warmup' | 'timed'; step: number; of: number; seconds?: number; loss: number }) => void;
}

/**
 * The benchmarks' step loop: `warmup` + `steps` training steps of one fixed normalized batch at a constant learning
 * rate, each timed step's seconds recorded. Throws TrainingDivergedError on a non-finite loss.
 */
export async function timedSteps(engine: SaeEngine, x: Float32Array, rows: number, o: TimedStepsOptions): Promise<{ seconds: number[]; loss: number }> {
  const start = o.stopwatch ?? (() => {
    const t0 = performance.now();
    return () => (performance.now() - t0) / 1000;
  });
  let loss = Number.NaN;
  for (let s = 0; s < o.warmup; s++) {
    loss = (await engine.trainStep(x, rows, o.lr)).loss;
    checkLoss(loss, s);
    o.onStep?.({ phase: 'warmup', step: s + 1, of: o.warmup, loss });
  }
  o.afterWarmup?.();
  const seconds: number[] = [];
  for (let s = 0; s < o.steps; s++) {
    const elapsed = start();
    loss = (await engine.trainStep(x, rows, o.lr)).loss;
    seconds.push(elapsed());
    checkLoss(loss, o.warmup + s);
    o.onStep?.({ phase: 'timed', step: s + 1, of: o.steps, seconds: seconds[s], loss });
  }
  return { seconds, loss };
}
