import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Normalization, SaeConfig, SaeEngine, SaeParams } from '@msae/core';
import { IoError, saveCheckpoint } from '@msae/io';
import type { EvalRecord } from '@msae/metrics';
import type { TrainerState, TrainingMember } from '@msae/training';

/** One SAE being trained: its engine, its state and how it saves itself. A sweep trains several in lockstep. */
export interface MemberRun extends TrainingMember {
  outDir: string;
  /** Write the checkpoint (with optimizer and trainer state); `val` = final validation metrics. */
  save(val?: EvalRecord[]): Promise<void>;
}

export interface MemberSetup {
  name: string;
  config: SaeConfig;
  normalization: Normalization;
  params: SaeParams;
  state: TrainerState;
  outDir: string;
  engine: SaeEngine;
  /** What the checkpoint's metadata says the training and validation data were. */
  dataLabel: string;
  valLabel: string;
  /** Extra keys of cfg.json's `training` (e.g. the sweep file a member came from). */
  extra?: Record<string, unknown>;
}

/** A MemberRun whose save() writes cfg.json's `training` metadata from its state (atomic, creating parents). */
export function createMemberRun(s: MemberSetup): MemberRun {
  let params = s.params;
  const { state, engine } = s;
  const metadata = (val: EvalRecord[] | undefined) => ({
    epochs: state.epochs,
    epochsCompleted: state.epoch,
    steps: state.globalStep,
    seed: state.seed,
    batchSize: state.batchSize,
    lr: state.lr,
    data: s.dataLabel,
    val: s.valLabel,
    engine: engine.name,
    trainSeconds: state.trainSeconds,
    samplesPerSecond: state.trainSeconds > 0 ? state.samplesSeen / state.trainSeconds : 0,
    metrics: val ?? null,
    ...s.extra,
    createdAt: new Date().toISOString(),
  });
  return {
    name: s.name,
    config: s.config,
    normalization: s.normalization,
    engine,
    state,
    outDir: s.outDir,
    async save(val?: EvalRecord[]) {
      const exported = await engine.exportState();
      params = exported.params;
      const parent = dirname(resolve(s.outDir));
      await mkdir(parent, { recursive: true }).catch((err: unknown) => {
        throw new IoError(s.outDir, `cannot save checkpoint: cannot create ${parent} (${(err as { code?: string }).code ?? String(err)})`);
      });
      const checkpoint = { config: s.config, normalization: s.normalization, params, training: metadata(val) };
      await saveCheckpoint(s.outDir, checkpoint, { optimizer: exported.adam, trainerState: { ...state } });
    },
  };
}
