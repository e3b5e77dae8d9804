import { learningRateAt, MsaeError } from '@msae/core';
import { evaluateSae } from '@msae/metrics';
import type { MemberRun } from './member-run.js';
import type { ProgressReporter } from './progress-reporter.js';
import type { TrainerState } from './train.js';
import type { TrainingSource } from './training-source.js';
import { reportKs } from './train.js';

export interface LoopOptions {
  source: TrainingSource;
  reporter: ProgressReporter;
  /** Polled after every step (Ctrl-C): the members then save and the loop returns 'interrupted'. */
  shouldStop: () => boolean;
}

/** Steps the LR schedule spans: every epoch, or --max-steps when that is fewer. */
export function scheduleSteps(state: TrainerState, stepsPerEpoch: number): number {
  const all = stepsPerEpoch * state.epochs;
  return state.maxSteps != null ? Math.min(all, state.maxSteps) : all;
}

/**
 * Train every member on the same batches: each batch is read, shuffled and normalized once and fed to every
 * member's engine in turn (with that member's learning rate). The members must share epoch, step, batch size
 * and normalization. Returns 'done' after the last epoch or --max-steps, 'interrupted' after Ctrl-C (saved).
 */
export async function trainLockstep(members: MemberRun[], o: LoopOptions): Promise<'done' | 'interrupted'> {
  const lead = members[0].state;
  for (const m of members) {
    const s = m.state;
    if (s.epoch !== lead.epoch || s.stepInEpoch !== lead.stepInEpoch || s.batchSize !== lead.batchSize || s.epochs !== lead.epochs) {
      throw new MsaeError(m.name, 'members of one pass must share epoch, step, epochs and batch size');
    }
  }
  const { source, reporter } = o;
  const stepsPerEpoch = Math.ceil(source.rows / lead.batchSize);
  const totalSteps = scheduleSteps(lead, stepsPerEpoch);
  const normalization = members[0].normalization;
  const single = members.length === 1;
  const saveAll = () => Promise.all(members.map((m) => m.save()));

  while (lead.epoch < lead.epochs && lead.globalStep < totalSteps) {
    const epochStart = performance.now();
    let epochSamples = 0;
    const lossSum = new Float64Array(members.length);
    let lossCount = 0;
    let s = lead.stepInEpoch;
    for await (const batch of source.batches(lead.epoch, lead.batchSize, lead.stepInEpoch, normalization)) {
      for (const [i, m] of members.entries()) {
        const st = m.state;
        const lr = learningRateAt(st.globalStep, totalSteps, st.lr);
        const t0 = performance.now();
        const result = await m.engine.trainStep(batch.data, batch.rows, lr);
        st.trainSeconds += (performance.now() - t0) / 1000;
        if (!Number.isFinite(result.loss)) {
          throw new MsaeError(single ? '' : m.name, `training diverged: loss is ${result.loss} at step ${st.globalStep} (try a lower --lr)`);
        }
        st.samplesSeen += batch.rows;
        st.globalStep++;
        st.stepInEpoch = s + 1;
        lossSum[i] += result.loss;
      }
      s++;
      lossCount++;
      epochSamples += batch.rows;
      reporter.step({
        epoch: lead.epoch + 1,
        epochs: lead.epochs,
        step: s,
        stepsPerEpoch,
        samplesPerSecond: epochSamples / ((performance.now() - epochStart) / 1000),
        loss: lossSum.reduce((a, b) => a + b, 0) / members.length / lossCount,
      });
      // Let signal handlers (Ctrl-C) run: engines may resolve without ever yielding to the event loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (o.shouldStop()) {
        reporter.stop();
        await saveAll();
        return 'interrupted';
      }
      if (lead.globalStep >= totalSteps) break; // --max-steps: stop mid-epoch, saved by the caller as usual
    }
    if (lead.stepInEpoch < stepsPerEpoch) break;
    const sps = epochSamples / ((performance.now() - epochStart) / 1000);
    for (const [i, m] of members.entries()) {
      const quick = await evaluateSae({ engine: m.engine, x: source.val, normalization, ks: reportKs(m.config), cknnaRows: 0 });
      m.state.epoch++;
      m.state.stepInEpoch = 0;
      const summary = {
        epoch: m.state.epoch,
        epochs: m.state.epochs,
        globalStep: m.state.globalStep,
        loss: lossCount > 0 ? lossSum[i] / lossCount : Number.NaN,
        lr: learningRateAt(Math.max(0, m.state.globalStep - 1), totalSteps, m.state.lr),
        samplesPerSecond: sps,
        val: quick.map((r) => ({ k: r.k, fvu: r.fvu, l0: r.l0, deadLatents: r.deadLatents })),
      };
      if (single) reporter.epoch(summary);
      else reporter.info(`${m.name}: epoch ${summary.epoch}/${summary.epochs} loss ${summary.loss.toPrecision(4)} ${summary.val.map((v) => `fvu@${v.k} ${v.fvu.toFixed(4)} dead ${v.deadLatents}`).join(', ')}`);
    }
    if (o.shouldStop()) {
      await saveAll();
      return 'interrupted';
    }
  }
  return 'done';
}
