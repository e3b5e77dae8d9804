import { createProgress, type Progress, type ProgressOptions } from '@msae/cli-kit';

export interface StepProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  samplesPerSecond: number;
  loss: number;
}

export interface EpochSummary {
  epoch: number;
  epochs: number;
  globalStep: number;
  loss: number;
  lr: number;
  samplesPerSecond: number;
  /** Validation at the architecture's k and with every positive code (k = dSae). */
  val: { k: number; fvu: number; l0: number; deadLatents: number }[];
}

/**
 * Where training progress goes: a bar on a TTY, JSON lines with --json, otherwise plain stderr lines: one per
 * epoch, and inside an epoch one every `plainEveryMs` (a streamed epoch can take hours).
 */
export interface ProgressReporter {
  info(message: string): void;
  step(p: StepProgress): void;
  epoch(e: EpochSummary): void;
  stop(): void;
}

const fmt = (v: number, digits = 4) => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

const BAR_FORMAT = 'epoch {epoch}/{epochs} |{bar}| step {value}/{total} | {sps} samples/s | loss {loss} | fvu {fvu} | L0 {l0} | dead {dead}';

/**
 * The trainer's reporter on @msae/cli-kit's Progress. Bar: epoch, step, samples/s, loss and the last epoch's val
 * FVU, L0 and dead latents. --json: `{"event":"progress"}` lines while an epoch runs, one `{"event":"epoch"}`
 * line per epoch. Otherwise one plain stderr line per epoch (for logs and pipes). Info lines go to stderr.
 */
export interface TrainingReporterOptions extends ProgressOptions {
  /** Plain mode: at most one step line per this many ms inside an epoch (default 60,000). */
  plainEveryMs?: number;
  /** Clock in ms (tests); default performance.now. */
  now?: () => number;
}

export class TrainingReporter implements ProgressReporter {
  private readonly progress: Progress;
  private readonly out: NodeJS.WritableStream;
  private readonly plainEveryMs: number;
  private readonly now: () => number;
  private lastPlain: number;
  private running = false;
  private last = { fvu: '-', l0: '-', dead: '-' };

  constructor(opts: TrainingReporterOptions) {
    this.progress = createProgress({ ...opts, format: BAR_FORMAT, barSize: 20 });
    this.out = opts.stderr ?? process.stderr;
    this.plainEveryMs = opts.plainEveryMs ?? 60_000;
    this.now = opts.now ?? (() => performance.now());
    this.lastPlain = this.now();
  }

  info(message: string): void {
    this.running = false;
    this.progress.log(message);
  }

  step(p: StepProgress): void {
    const fields = { epoch: p.epoch, epochs: p.epochs, sps: Math.round(p.samplesPerSecond), loss: fmt(p.loss), ...this.last };
    if (!this.running) {
      this.progress.start(`epoch ${p.epoch}/${p.epochs}`, p.stepsPerEpoch, fields, p.step);
      this.running = true;
    } else {
      this.progress.setTotal(p.stepsPerEpoch);
    }
    this.progress.update(p.step, this.progress.mode === 'json' ? { loss: p.loss, samplesPerSecond: p.samplesPerSecond } : fields);
    if (this.progress.mode === 'none' && this.now() - this.lastPlain >= this.plainEveryMs) {
      this.lastPlain = this.now();
      this.out.write(`epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.stepsPerEpoch} loss ${fmt(p.loss)} ${Math.round(p.samplesPerSecond)} samples/s\n`);
    }
  }

  epoch(e: EpochSummary): void {
    this.last = {
      fvu: e.val.map((v) => `${fmt(v.fvu, 3)}@${v.k}`).join(' '),
      l0: e.val[0].l0.toFixed(1),
      dead: String(e.val[0].deadLatents),
    };
    this.progress.setFields(this.last);
    this.progress.stop();
    this.running = false;
    if (this.progress.mode === 'json') this.progress.event('epoch', { ...e });
    else if (this.progress.mode === 'none') {
      this.lastPlain = this.now();
      this.out.write(
        `epoch ${e.epoch}/${e.epochs} step ${e.globalStep} loss ${fmt(e.loss)} lr ${e.lr.toExponential(2)} ` +
          `${Math.round(e.samplesPerSecond)} samples/s | val ` +
          e.val.map((v) => `k=${v.k}: fvu ${fmt(v.fvu)} L0 ${v.l0.toFixed(1)} dead ${v.deadLatents}`).join(' | ') +
          '\n',
      );
    }
  }

  stop(): void {
    this.progress.stop();
    this.running = false;
  }
}

/** The reporter for `--json` (or a bar on a TTY, plain epoch lines otherwise). */
export function createReporter(json: boolean): ProgressReporter {
  return new TrainingReporter({ json });
}
