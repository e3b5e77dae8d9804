/** When a periodic checkpoint is due: every `steps` steps and/or every `minutes` minutes (whichever comes first). */
export interface CheckpointEvery {
  steps?: number;
  minutes?: number;
}

/** Tracks the last save; `due(globalStep)` says whether another one is owed. */
export class CheckpointTimer {
  private lastStep: number;
  private lastTime: number;

  constructor(
    private readonly every: CheckpointEvery | undefined,
    startStep: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastStep = startStep;
    this.lastTime = now();
  }

  due(globalStep: number): boolean {
    const e = this.every;
    if (!e) return false;
    if (e.steps !== undefined && e.steps > 0 && globalStep - this.lastStep >= e.steps) return true;
    return e.minutes !== undefined && e.minutes > 0 && this.now() - this.lastTime >= e.minutes * 60_000;
  }

  saved(globalStep: number): void {
    this.lastStep = globalStep;
    this.lastTime = this.now();
  }
}
