import { constants } from 'node:os';

/** The signals that stop a training run and save it: Ctrl-C, `kill`/`timeout`/`docker stop`, a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export interface StopSignals {
  /** Aborted by the first stop signal. */
  signal: AbortSignal;
  /** The signal that stopped the run, if any. */
  received(): StopSignal | undefined;
  /** The conventional exit status of a process ended by `sig`: 128 + its number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
  exitCode(sig: StopSignal): number;
  /** Remove the handlers. */
  dispose(): void;
}

/**
 * Handle SIGINT, SIGTERM and SIGHUP alike: the first aborts `signal` (the loop finishes its step and the caller
 * saves); a second one exits at once without saving, with 128 + n. Only Ctrl-C prints a notice (a person is
 * waiting at the terminal); the run's last line says what was saved.
 */
export function watchStopSignals(proc: NodeJS.Process = process): StopSignals {
  const controller = new AbortController();
  let first: StopSignal | undefined;
  const exitCode = (sig: StopSignal) => 128 + constants.signals[sig];
  const handlers = STOP_SIGNALS.map((sig) => {
    const handler = () => {
      if (first !== undefined) proc.exit(exitCode(sig));
      first = sig;
      controller.abort();
      if (sig === 'SIGINT') proc.stderr.write('\nCtrl-C: finishing this step and saving a checkpoint (Ctrl-C again to quit without saving)\n');
    };
    proc.on(sig, handler);
    return [sig, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => first,
    exitCode,
    dispose: () => {
      for (const [sig, handler] of handlers) proc.off(sig, handler);
    },
  };
}
