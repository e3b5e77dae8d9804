import { MsaeError } from '@msae/core';

const CLI_MARKER = 'msae.cli-error';
const INTERRUPTED_MARKER = 'msae.interrupted';
const CLI_SYMBOL = Symbol.for(CLI_MARKER);
const INTERRUPTED_SYMBOL = Symbol.for(INTERRUPTED_MARKER);

/**
 * Errors a CLI raises itself. `CliError` carries the exit code; `UsageError` is a bad command line (exit 2);
 * `InterruptedError` a run stopped by Ctrl-C (exit 130). All are MsaeErrors (core's one error root): `runCli`
 * prints any of them as one line, `<program>: <message>`, without a stack.
 */
export class CliError extends MsaeError {
  readonly [CLI_SYMBOL] = true;

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super('', message);
    this.name = 'CliError';
  }

  /** True for a CliError (or a subclass), also one thrown by another copy of this module. */
  static override isInstance(error: unknown): error is CliError {
    return CliError.hasMarker(error, CLI_MARKER);
  }
}

/** A bad command line (missing or conflicting options): exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** The run was interrupted (Ctrl-C) after cleaning up: exit code 130. `checkpoint`: where the state was saved. */
export class InterruptedError extends CliError {
  readonly [INTERRUPTED_SYMBOL] = true;

  constructor(
    message: string,
    readonly checkpoint?: string,
  ) {
    super(message, 130);
    this.name = 'InterruptedError';
  }

  /** True for an InterruptedError, also one thrown by another copy of this module. */
  static override isInstance(error: unknown): error is InterruptedError {
    return InterruptedError.hasMarker(error, INTERRUPTED_MARKER);
  }
}

/** CliError.isInstance as a function. */
export function isCliError(err: unknown): err is CliError {
  return CliError.isInstance(err);
}
