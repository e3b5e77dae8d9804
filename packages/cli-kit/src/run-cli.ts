import { MsaeError } from '@msae/core';
import { CommanderError } from 'commander';
import { isCliError } from './cli-errors.js';

/** Where runCli writes and how it exits: injectable so tests run it in-process. */
export interface CliProcess {
  stderr: (text: string) => void;
  exit: (code: number) => void;
  /** Install a SIGINT handler; returns its removal. */
  onSigint: (handler: () => void) => () => void;
  env: Record<string, string | undefined>;
}

export interface RunCliOptions {
  /** Program name, the prefix of every error line (`msae-train: ...`). */
  name: string;
  /**
   * `true` (default): the first Ctrl-C exits with 130 at once. `false`: the CLI handles SIGINT itself
   * (and throws an InterruptedError, exit 130, once it has cleaned up).
   */
  exitOnSigint?: boolean;
  /** Exit the process when main resolves (for libraries that keep handles open); default: let it drain. */
  exitOnSuccess?: boolean;
  process?: CliProcess;
}

const nodeProcess = (): CliProcess => ({
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
  onSigint: (handler) => {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
  env: process.env,
});

/** commander's own errors, also from another copy of commander (code `commander.*`). */
function isCommanderError(err: unknown): err is CommanderError {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    err instanceof CommanderError ||
    (typeof code === 'string' && code.startsWith('commander.') && typeof (err as { exitCode?: unknown }).exitCode === 'number')
  );
}

/** The line runCli prints for an error (without the program prefix), and the exit code. */
export function describeError(err: unknown): { line: string; exitCode: number; typed: boolean } {
  if (isCommanderError(err)) {
    // commander's messages start with "error: " and may add a "(Did you mean ...?)" line: join them
    const line = err.message
      .replace(/^error: /, '')
      .replace(/\s*\n\s*/g, ' ')
      .trim();
    return { line, exitCode: err.exitCode === 0 ? 0 : 2, typed: true };
  }
  if (isCliError(err)) return { line: err.message, exitCode: err.exitCode, typed: true };
  if (MsaeError.isInstance(err)) return { line: err.message, exitCode: 1, typed: true };
  // Not a typed error: a bug or an unexpected failure. Still one line; MSAE_DEBUG=1 adds the stack.
  const message = err instanceof Error ? err.message : String(err);
  return { line: message.split('\n')[0].trim() || 'unknown error', exitCode: 1, typed: false };
}

/**
 * Run a CLI's main: a typed error (CliError, UsageError, InterruptedError, commander's errors, any
 * `MsaeError` such as `@msae/io`'s IoError or core's ConfigError) becomes one stderr line
 * `<name>: <message>` and exit code 1 (2 for usage, 130 for an interrupt, 0 for --help); anything else the
 * first line of its message (the stack only with MSAE_DEBUG=1). main may return an exit code.
 */
export async function runCli(main: () => Promise<number | undefined> | Promise<void> | number | undefined, options: RunCliOptions): Promise<void> {
  const proc = options.process ?? nodeProcess();
  const removeSigint = options.exitOnSigint === false ? () => undefined : proc.onSigint(() => proc.exit(130));
  try {
    const code = await main();
    removeSigint();
    if (typeof code === 'number' && code !== 0) proc.exit(code);
    else if (options.exitOnSuccess) proc.exit(0);
  } catch (err) {
    removeSigint();
    const { line, exitCode, typed } = describeError(err);
    if (!typed && proc.env.MSAE_DEBUG && err instanceof Error && err.stack) proc.stderr(`${err.stack}\n`);
    if (exitCode !== 0) proc.stderr(`${options.name}: ${line}\n`);
    proc.exit(exitCode);
  }
}
