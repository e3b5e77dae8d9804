import { createProgress, type Progress, type ProgressOptions } from '@msae/cli-kit';

/** Where evaluation progress goes: a bar on a TTY, JSON lines with --json, a few plain lines otherwise. */
export interface ProgressReporter {
  info(message: string): void;
  /** A new task (one checkpoint's evaluation) with a label. */
  start(label: string): void;
  update(done: number, total: number): void;
  /** The task ended. */
  finish(): void;
}

/**
 * The evaluator's reporter on @msae/cli-kit's Progress: a bar on a TTY, `{"event":"progress",...}` lines with
 * --json (at most one per second per task, plus the last one), and otherwise one `<task>: done in X s` line per
 * finished task, so a failure leaves only its error line.
 */
export class EvaluationReporter implements ProgressReporter {
  private readonly progress: Progress;
  private label = '';
  private started = 0;
  private complete = false;
  private running = false;

  constructor(opts: ProgressOptions) {
    this.progress = createProgress({ ...opts, format: '{task} |{bar}| {percentage}% | ETA {eta_formatted}' });
  }

  info(message: string): void {
    this.running = false;
    this.progress.log(message);
  }

  start(label: string): void {
    this.finish();
    this.label = label;
    this.started = Date.now();
    this.complete = false;
    this.running = false;
  }

  update(done: number, total: number): void {
    if (!this.running) {
      this.progress.start(this.label, total, {}, done);
      this.running = true;
    }
    this.progress.setTotal(total);
    this.progress.update(done);
    this.complete = done === total;
  }

  finish(): void {
    this.progress.stop();
    this.running = false;
    if (this.progress.mode === 'none' && this.label && this.complete) {
      process.stderr.write(`${this.label}: done in ${((Date.now() - this.started) / 1000).toFixed(1)} s\n`);
    }
    this.label = '';
  }
}

export function createReporter(json: boolean): ProgressReporter {
  return new EvaluationReporter({ json });
}
