// The CLI's error classes live in @msae/cli-kit (shared by every msae CLI); re-exported for the commands here.
export { CliError, UsageError } from '@msae/cli-kit';

/** The first line of any thrown value (for wrapping an untyped failure in a CliError). */
export function oneLineMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim() || 'unknown error';
}
