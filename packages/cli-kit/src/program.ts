import { Command } from 'commander';

/**
 * A commander program set up for `runCli`: commander throws instead of exiting (its errors become one
 * line, printed by runCli) and prints nothing itself except --help / --version output. Subcommands added
 * with `.command()` afterwards inherit this.
 */
export function createProgram(name: string, description?: string): Command {
  const program = new Command(name);
  if (description) program.description(description);
  return configureProgram(program);
}

/** Apply createProgram's settings to an existing command. */
export function configureProgram(program: Command): Command {
  return program
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
}
