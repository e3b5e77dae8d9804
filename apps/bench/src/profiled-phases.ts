import { ArgumentError, initParams, type SaeConfig } from '@msae/core';
import { createEngine } from '@msae/engines';
import { timedSteps } from '@msae/training';
import type { PhaseTimings as PhaseSeconds } from '@msae/core';

/**
 * Mean seconds per training step of each phase, from a separate engine created with `profile: true` (webgpu:
 * each phase its own submission, waited for, so the phases add up to a little more than an unprofiled step).
 * One untimed step first; the parameters are the bench's (initParams seed 42).
 */
export async function profiledPhases(
  name: string,
  config: SaeConfig,
  x: Float32Array,
  batch: number,
  lr: number,
  steps: number,
): Promise<PhaseSeconds> {
  const engine = await createEngine(name, { profile: true, reserveRows: batch });
  try {
    if (!engine.phaseTimings || !engine.resetPhaseTimings) throw new ArgumentError('', `engine '${name}' has no phase timings`);
    await engine.load({ config, params: initParams(config, 42) });
    await timedSteps(engine, x, batch, { lr, warmup: 1, steps, afterWarmup: () => engine.resetPhaseTimings?.() });
    const t = engine.phaseTimings();
    const per = (v: number) => (steps > 0 ? v / steps : 0);
    return { encode: per(t.encode), topk: per(t.topk), decode: per(t.decode), backward: per(t.backward), optimizer: per(t.optimizer) };
  } finally {
    await engine.dispose();
  }
}
