/**
 * Errors a CLI raises itself. `CliError` carries the exit code; `UsageError` is a bad command line (exit 2).
 * `runCli` prints either as one line, `<program>: <message>`, without a stack.
 */
export class CliError extends Error {
  /** Marker that survives duplicated module copies. */
  readonly isCliError = true;

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message.replace(/\s*\n\s*/g, ' ').trim());
    this.name = 'CliError';
  }
}

/** A bad command line (missing or conflicting options): exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** The run was interrupted (Ctrl-C) after cleaning up: exit code 130. */
export class InterruptedError extends CliError {
  constructor(message: string) {
    super(message, 130);
    this.name = 'InterruptedError';
  }
}

/** True for a CliError, also one thrown by another copy of this module. */
export function isCliError(err: unknown): err is CliError {
  return err instanceof CliError || (typeof err === 'object' && err !== null && (err as { isCliError?: unknown }).isCliError === true);
}
