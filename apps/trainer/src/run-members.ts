import { type CheckpointEvery, trainLockstep } from '@msae/training';
import type { MemberRun } from './member-run.js';
import type { ProgressReporter } from './progress-reporter.js';
import type { TrainingSource } from './training-source.js';

/** How a CLI run is stopped and saved while it trains. */
export interface RunControl {
  /** Aborted by Ctrl-C (and the other stop signals): the loop ends after the current step and every member saves. */
  signal?: AbortSignal;
  /** Periodic checkpoints while training (every N steps and/or M minutes). */
  saveEvery?: CheckpointEvery;
}

/**
 * The CLI side of @msae/training's lockstep loop: progress to the reporter (one bar for a single run, one info line
 * per member and epoch for a sweep), periodic saves, and a save of every member when stopped.
 * Returns 'interrupted' once every member is saved after a stop.
 */
export async function runMembers(members: MemberRun[], source: TrainingSource, reporter: ProgressReporter, control: RunControl = {}): Promise<'done' | 'interrupted'> {
  const saveAll = async () => {
    for (const m of members) await m.save();
  };
  const outcome = await trainLockstep(members, {
    source,
    validation: source.val,
    signal: control.signal,
    onStep: (p) => reporter.step(p),
    onEpoch: (summaries) => {
      if (summaries.length === 1) reporter.epoch(summaries[0]);
      else
        for (const s of summaries)
          reporter.info(`${s.member}: epoch ${s.epoch}/${s.epochs} loss ${s.loss.toPrecision(4)} ${s.val.map((v) => `fvu@${v.k} ${v.fvu.toFixed(4)} dead ${v.deadLatents}`).join(', ')}`);
    },
    checkpointEvery: control.saveEvery,
    onCheckpointDue: control.saveEvery ? saveAll : undefined,
  });
  if (outcome === 'done') return 'done';
  reporter.stop();
  await saveAll();
  return 'interrupted';
}
