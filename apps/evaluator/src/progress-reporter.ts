import cliProgress from 'cli-progress';

/** Where evaluation progress goes: a bar on a TTY, JSON lines with --json, a few plain lines otherwise. */
export interface ProgressReporter {
  info(message: string): void;
  /** A new task (one checkpoint's evaluation) with a label. */
  start(label: string): void;
  update(done: number, total: number): void;
  /** The task ended. */
  finish(): void;
}

/** cli-progress bar on stderr. */
class BarReporter implements ProgressReporter {
  private bar: cliProgress.SingleBar | null = null;
  private label = '';

  info(message: string): void {
    this.finish();
    process.stderr.write(`${message}\n`);
  }
  start(label: string): void {
    this.finish();
    this.label = label;
  }
  update(done: number, total: number): void {
    if (!this.bar) {
      this.bar = new cliProgress.SingleBar(
        { format: '{label} |{bar}| {percentage}% | ETA {eta_formatted}', stream: process.stderr, hideCursor: true, barsize: 30 },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(Number.isFinite(total) ? total : done, done, { label: this.label });
    } else {
      if (Number.isFinite(total)) this.bar.setTotal(total);
      this.bar.update(done, { label: this.label });
    }
  }
  finish(): void {
    if (this.bar) this.bar.stop();
    this.bar = null;
  }
}

/** JSON lines on stdout (`{"event":"progress",...}`), at most one per second per task plus the last one. */
class JsonLinesReporter implements ProgressReporter {
  private label = '';
  private lastWrite = 0;
  private pending: { done: number; total: number } | null = null;

  info(message: string): void {
    process.stderr.write(`${message}\n`);
  }
  start(label: string): void {
    this.label = label;
    this.lastWrite = 0;
    this.pending = null;
  }
  update(done: number, total: number): void {
    this.pending = { done, total };
    const now = Date.now();
    if (now - this.lastWrite >= 1000 || done === total) this.flush(now);
  }
  private flush(now: number): void {
    if (!this.pending) return;
    const { done, total } = this.pending;
    process.stdout.write(`${JSON.stringify({ event: 'progress', task: this.label, done, total: Number.isFinite(total) ? total : null })}\n`);
    this.lastWrite = now;
    this.pending = null;
  }
  finish(): void {
    this.flush(Date.now());
  }
}

/** Plain lines on stderr (pipes and logs): one line per finished task, so a failure leaves only its error line. */
class PlainReporter implements ProgressReporter {
  private label = '';
  private started = 0;
  private complete = false;
  info(message: string): void {
    process.stderr.write(`${message}\n`);
  }
  start(label: string): void {
    this.label = label;
    this.started = Date.now();
    this.complete = false;
  }
  update(done: number, total: number): void {
    this.complete = done === total;
  }
  finish(): void {
    if (this.label && this.complete) process.stderr.write(`${this.label}: done in ${((Date.now() - this.started) / 1000).toFixed(1)} s\n`);
    this.label = '';
  }
}

export function createReporter(json: boolean): ProgressReporter {
  if (json) return new JsonLinesReporter();
  return process.stderr.isTTY ? new BarReporter() : new PlainReporter();
}
