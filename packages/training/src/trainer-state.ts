/** How a streamed run reads its data; saved in the trainer state so a resumed run draws the same batches. */
export interface StreamSettings {
  windowBytes: number;
  chunkRows: number;
}

/** Where a run stands; saved with the checkpoint so a resumed run continues exactly. */
export interface TrainerState {
  /** Epochs completed (0-based index of the epoch being trained). */
  epoch: number;
  /** Steps already taken inside `epoch` (0 = epoch not started). */
  stepInEpoch: number;
  globalStep: number;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  samplesSeen: number;
  trainSeconds: number;
  /** Seed of the shuffle and the hold-out (default: seed). */
  dataSeed?: number;
  /** Stop after this many steps in all (null: every epoch); the LR schedule ends there too. */
  maxSteps?: number | null;
  /** Set when the run streams its data: the settings that fix the batch order (absent: in memory). */
  stream?: StreamSettings | null;
}

/** The state of a run that has not taken a step yet. */
export function freshTrainerState(o: { epochs: number; batchSize: number; lr: number; seed: number; dataSeed?: number; maxSteps?: number | null }): TrainerState {
  return {
    epoch: 0,
    stepInEpoch: 0,
    globalStep: 0,
    epochs: o.epochs,
    batchSize: o.batchSize,
    lr: o.lr,
    seed: o.seed,
    samplesSeen: 0,
    trainSeconds: 0,
    dataSeed: o.dataSeed ?? o.seed,
    maxSteps: o.maxSteps ?? null,
  };
}
