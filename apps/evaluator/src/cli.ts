#!/usr/bin/env node
import { buildProgram } from './program.js';
import { CliError, oneLineMessage } from './cli-error.js';

async function main(): Promise<void> {
  const program = await buildProgram();
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  if (error instanceof CliError) {
    // commander already printed its own message (empty CliError from exitOverride)
    if (error.message) process.stderr.write(`msae-eval: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  if (process.env.MSAE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.stderr.write(`msae-eval: ${oneLineMessage(error)}\n`);
  process.exit(1);
});
