import cliProgress from 'cli-progress';

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

/** Where training progress goes: a bar on a TTY, JSON lines with --json, plain lines otherwise. */
export interface ProgressReporter {
  info(message: string): void;
  step(p: StepProgress): void;
  epoch(e: EpochSummary): void;
  stop(): void;
}

const fmt = (v: number, digits = 4) => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

/** Progress bar on stderr: epoch, step, samples/s, loss, and the last epoch's val FVU, L0 and dead latents. */
export class BarReporter implements ProgressReporter {
  private bar = new cliProgress.SingleBar(
    {
      format:
        'epoch {epoch}/{epochs} |{bar}| step {value}/{total} | {sps} samples/s | loss {loss} | fvu {fvu} | L0 {l0} | dead {dead}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
      barsize: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  private started = false;
  private last = { fvu: '-', l0: '-', dead: '-' };

  info(message: string): void {
    if (this.started) this.bar.stop();
    this.started = false;
    process.stderr.write(`${message}\n`);
  }

  step(p: StepProgress): void {
    const payload = { epoch: p.epoch, epochs: p.epochs, sps: Math.round(p.samplesPerSecond), loss: fmt(p.loss), ...this.last };
    if (!this.started) {
      this.bar.start(p.stepsPerEpoch, p.step, payload);
      this.started = true;
    } else {
      this.bar.setTotal(p.stepsPerEpoch);
      this.bar.update(p.step, payload);
    }
  }

  epoch(e: EpochSummary): void {
    this.last = {
      fvu: e.val.map((v) => `${fmt(v.fvu, 3)}@${v.k}`).join(' '),
      l0: e.val[0].l0.toFixed(1),
      dead: String(e.val[0].deadLatents),
    };
    this.bar.update({ ...this.last });
    this.bar.stop();
    this.started = false;
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

/** One JSON object per epoch on stdout; info lines go to stderr. */
export class JsonLinesReporter implements ProgressReporter {
  info(message: string): void {
    process.stderr.write(`${message}\n`);
  }
  step(): void {}
  epoch(e: EpochSummary): void {
    process.stdout.write(`${JSON.stringify({ event: 'epoch', ...e })}\n`);
  }
  stop(): void {}
}

/** Plain text lines on stderr, one per epoch (for logs and pipes). */
export class PlainReporter implements ProgressReporter {
  info(message: string): void {
    process.stderr.write(`${message}\n`);
  }
  step(): void {}
  epoch(e: EpochSummary): void {
    process.stderr.write(
      `epoch ${e.epoch}/${e.epochs} step ${e.globalStep} loss ${fmt(e.loss)} lr ${e.lr.toExponential(2)} ` +
        `${Math.round(e.samplesPerSecond)} samples/s | val ` +
        e.val.map((v) => `k=${v.k}: fvu ${fmt(v.fvu)} L0 ${v.l0.toFixed(1)} dead ${v.deadLatents}`).join(' | ') +
        '\n',
    );
  }
  stop(): void {}
}

export function createReporter(json: boolean): ProgressReporter {
  if (json) return new JsonLinesReporter();
  return process.stderr.isTTY ? new BarReporter() : new PlainReporter();
}
