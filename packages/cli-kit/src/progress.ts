import cliProgress from 'cli-progress';

/** How progress is shown: a cli-progress bar (stderr is a terminal), JSON lines on stdout (--json), or nothing. */
export type ProgressMode = 'bar' | 'json' | 'none';

export type ProgressFields = Record<string, string | number>;

export interface ProgressOptions {
  /** --json: JSON lines on stdout. */
  json?: boolean;
  /** Force a mode (tests); default: 'json' with json, else 'bar' on a TTY stderr, else 'none'. */
  mode?: ProgressMode;
  /**
   * cli-progress format of the bar; `{task}` is the task label, `{bar}`, `{value}`, `{total}`, `{percentage}`,
   * `{eta_formatted}` are cli-progress', other `{names}` come from the fields given to start/update.
   */
  format?: string;
  /** Bar width in characters (default 30). */
  barSize?: number;
  /** JSON mode: at most one progress line per task every `throttleMs` (default 1000), plus the last one. */
  throttleMs?: number;
  /** Where bar and log lines go (default process.stderr). */
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where JSON lines go (default process.stdout.write). */
  stdout?: (text: string) => void;
  /** Clock for throttling (tests). */
  now?: () => number;
}

const DEFAULT_FORMAT = '{task} |{bar}| {percentage}% | {value}/{total} | ETA {eta_formatted}';

/**
 * Progress of long work, one task at a time: `start(task, total)`, `update(done)`, `stop()`. In bar mode a
 * cli-progress bar on stderr; in JSON mode `{"event":"progress","task","done","total",...fields}` lines on
 * stdout (throttled); otherwise nothing. `log` writes a stderr line without breaking the bar.
 */
export class Progress {
  readonly mode: ProgressMode;
  private readonly opts: ProgressOptions;
  private readonly stderr: NodeJS.WritableStream;
  private readonly stdout: (text: string) => void;
  private readonly now: () => number;
  private bar: cliProgress.SingleBar | null = null;
  private task = '';
  private total = 0;
  private lastJson = 0;
  private pending: { done: number; fields: ProgressFields } | null = null;

  constructor(opts: ProgressOptions = {}) {
    this.opts = opts;
    this.stderr = opts.stderr ?? process.stderr;
    this.stdout = opts.stdout ?? ((text) => process.stdout.write(text));
    this.now = opts.now ?? Date.now;
    const tty = Boolean((this.stderr as { isTTY?: boolean }).isTTY);
    this.mode = opts.mode ?? (opts.json ? 'json' : tty ? 'bar' : 'none');
  }

  /** Begin a task of `total` units (Infinity or NaN: unknown; the bar then grows with `done`). */
  start(task: string, total: number, fields: ProgressFields = {}, done = 0): void {
    this.stop();
    this.task = task;
    this.total = total;
    this.lastJson = 0;
    if (this.mode === 'bar') {
      this.bar = new cliProgress.SingleBar(
        {
          format: this.opts.format ?? DEFAULT_FORMAT,
          stream: this.stderr,
          hideCursor: true,
          clearOnComplete: false,
          barsize: this.opts.barSize ?? 30,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(Number.isFinite(total) ? total : done, done, { task, ...fields });
    } else if (this.mode === 'json') {
      this.pending = { done, fields };
    }
  }

  /** `done` units of the current task finished (starts an unnamed task if none is running). */
  update(done: number, fields: ProgressFields = {}): void {
    if (this.mode === 'bar') {
      if (!this.bar) this.start(this.task, this.total, fields, done);
      if (!Number.isFinite(this.total)) this.bar?.setTotal(Math.max(done, 1));
      this.bar?.update(done, { task: this.task, ...fields });
    } else if (this.mode === 'json') {
      this.pending = { done, fields };
      const t = this.now();
      if (t - this.lastJson >= (this.opts.throttleMs ?? 1000) || done === this.total) this.flush(t);
    }
  }

  /** Change the current task's total. */
  setTotal(total: number): void {
    this.total = total;
    if (this.bar && Number.isFinite(total)) this.bar.setTotal(total);
  }

  /** Change bar fields without moving it. */
  setFields(fields: ProgressFields): void {
    this.bar?.update({ ...fields });
  }

  /** End the current task: the bar stays drawn (its line ends), JSON mode writes the last pending line. */
  stop(): void {
    if (this.bar) this.bar.stop();
    this.bar = null;
    if (this.mode === 'json') this.flush(this.now());
  }

  /** A stderr line; a running bar is ended first so the line does not mix with it. */
  log(message: string): void {
    this.stop();
    this.stderr.write(`${message}\n`);
  }

  /** JSON mode: one `{event, ...data}` line on stdout; other modes: nothing. */
  event(event: string, data: Record<string, unknown>): void {
    if (this.mode === 'json') this.stdout(`${JSON.stringify({ event, ...data })}\n`);
  }

  private flush(t: number): void {
    if (!this.pending) return;
    const { done, fields } = this.pending;
    this.event('progress', { task: this.task, done, total: Number.isFinite(this.total) ? this.total : null, ...fields });
    this.lastJson = t;
    this.pending = null;
  }
}

/** `new Progress(opts)`. */
export function createProgress(opts: ProgressOptions = {}): Progress {
  return new Progress(opts);
}
