import type { Matrix, SaeConfig, StepResult } from '@msae/core';
import { evaluateSae } from '@msae/metrics';
import type { BatchSource } from './batch-source.js';
import { type CheckpointEvery, CheckpointTimer } from './checkpoint-timer.js';
import { checkLoss } from './divergence.js';
import { TrainingError } from './errors.js';
import { reportKs } from './report-ks.js';
import { learningRateOf, scheduleSteps, stepsPerEpochOf } from './schedule.js';
import type { TrainingMember } from './training-member.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** After every step. `loss`: mean over the members and the steps of this epoch so far. */
export interface StepProgress {
  /** 1-based epoch and step inside it. */
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  /** Steps taken in all (the lead member's), and the steps the schedule spans. */
  globalStep: number;
  totalSteps: number;
  /** Rows of this batch. */
  rows: number;
  samplesPerSecond: number;
  loss: number;
  /** Each member's result of this step, in member order. */
  results: StepResult[];
  /** The learning rate this step took (lead member). */
  lr: number;
}

/** One member at the end of an epoch, with a quick validation (no CKNNA) when the loop has validation rows. */
export interface EpochSummary {
  member: string;
  /** Epochs completed. */
  epoch: number;
  epochs: number;
  globalStep: number;
  loss: number;
  lr: number;
  samplesPerSecond: number;
  val: Array<{ k: number; fvu: number; l0: number; deadLatents: number }>;
}

export interface LoopOptions {
  source: BatchSource;
  /** Raw validation rows (normalized with each member's normalization): evaluated after every epoch. */
  validation?: Matrix;
  /** k values of the per-epoch validation (default reportKs: own k and d_sae). */
  validationKs?: (config: SaeConfig) => number[];
  /** Aborting stops the loop after the current step (checked after every step; the loop yields first). */
  signal?: AbortSignal;
  onStep?: (p: StepProgress) => void | Promise<void>;
  onEpoch?: (summaries: EpochSummary[]) => void | Promise<void>;
  /** Periodic checkpoints: onCheckpointDue runs after the step at which one is due (awaited; the loop then goes on). */
  checkpointEvery?: CheckpointEvery;
  onCheckpointDue?: (at: { globalStep: number; epoch: number; stepInEpoch: number }) => Promise<void>;
}

/** 'done': the last epoch or maxSteps was reached; 'stopped': the signal aborted (the caller saves). */
export type LoopOutcome = 'done' | 'stopped';

/**
 * Train every member on the same batches: each batch is read, shuffled and normalized once and fed to every
 * member's engine in turn (each with its own learning rate, lr_t = schedule(globalStep, T, lr)). Members must share
 * epoch, step, epochs, batch size and normalization. Yields to the event loop after every step so a Stop message
 * or a signal handler runs; returns 'stopped' after the step during which `signal` aborted.
 */
export async function trainLockstep(members: TrainingMember[], o: LoopOptions): Promise<LoopOutcome> {
  if (members.length === 0) throw new TrainingError('', 'nothing to train: no members');
  const lead = members[0].state;
  for (const m of members) {
    const s = m.state;
    if (s.epoch !== lead.epoch || s.stepInEpoch !== lead.stepInEpoch || s.batchSize !== lead.batchSize || s.epochs !== lead.epochs) {
      throw new TrainingError(m.name, 'members of one pass must share epoch, step, epochs and batch size');
    }
  }
  const { source, signal } = o;
  const stepsPerEpoch = stepsPerEpochOf(source.rows, lead.batchSize);
  const totalSteps = scheduleSteps(lead, stepsPerEpoch);
  const normalization = members[0].normalization;
  const single = members.length === 1;
  const timer = new CheckpointTimer(o.checkpointEvery, lead.globalStep);
  if (signal?.aborted) return 'stopped';

  while (lead.epoch < lead.epochs && lead.globalStep < totalSteps) {
    const epochStart = performance.now();
    let epochSamples = 0;
    const lossSum = new Float64Array(members.length);
    let lossCount = 0;
    let s = lead.stepInEpoch;
    for await (const batch of source.batches(lead.epoch, lead.batchSize, lead.stepInEpoch, normalization)) {
      const results: StepResult[] = [];
      const lr = learningRateOf(lead, totalSteps);
      for (const [i, m] of members.entries()) {
        const st = m.state;
        const t0 = performance.now();
        const result = await m.engine.trainStep(batch.data, batch.rows, learningRateOf(st, totalSteps));
        st.trainSeconds += (performance.now() - t0) / 1000;
        checkLoss(result.loss, st.globalStep, single ? '' : m.name);
        st.samplesSeen += batch.rows;
        st.globalStep++;
        st.stepInEpoch = s + 1;
        lossSum[i] += result.loss;
        results.push(result);
      }
      s++;
      lossCount++;
      epochSamples += batch.rows;
      await o.onStep?.({
        epoch: lead.epoch + 1,
        epochs: lead.epochs,
        step: s,
        stepsPerEpoch,
        globalStep: lead.globalStep,
        totalSteps,
        rows: batch.rows,
        samplesPerSecond: epochSamples / ((performance.now() - epochStart) / 1000),
        loss: lossSum.reduce((a, b) => a + b, 0) / members.length / lossCount,
        results,
        lr,
      });
      if (o.onCheckpointDue && timer.due(lead.globalStep)) {
        await o.onCheckpointDue({ globalStep: lead.globalStep, epoch: lead.epoch, stepInEpoch: lead.stepInEpoch });
        timer.saved(lead.globalStep);
      }
      await yieldToEventLoop();
      if (signal?.aborted) return 'stopped';
      if (lead.globalStep >= totalSteps) break; // maxSteps: stop mid-epoch
    }
    if (lead.stepInEpoch < stepsPerEpoch) break;
    const sps = epochSamples / ((performance.now() - epochStart) / 1000);
    const summaries: EpochSummary[] = [];
    for (const [i, m] of members.entries()) {
      const quick = o.validation
        ? await evaluateSae({ engine: m.engine, x: o.validation, normalization, ks: (o.validationKs ?? reportKs)(m.config), cknnaRows: 0 })
        : [];
      m.state.epoch++;
      m.state.stepInEpoch = 0;
      summaries.push({
        member: m.name,
        epoch: m.state.epoch,
        epochs: m.state.epochs,
        globalStep: m.state.globalStep,
        loss: lossCount > 0 ? lossSum[i] / lossCount : Number.NaN,
        lr: learningRateOf({ globalStep: Math.max(0, m.state.globalStep - 1), lr: m.state.lr }, totalSteps),
        samplesPerSecond: sps,
        val: quick.map((r) => ({ k: r.k, fvu: r.fvu, l0: r.l0, deadLatents: r.deadLatents })),
      });
    }
    await o.onEpoch?.(summaries);
    if (signal?.aborted) return 'stopped';
  }
  return 'done';
}
