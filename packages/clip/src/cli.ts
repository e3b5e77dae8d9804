#!/usr/bin/env node
import { runEmbedCli } from './models/embed-cli.js';

/** `pnpm --silent embed --model ID|DIR (--images DIR | --texts FILE) --out FILE.npy [...]` */
runEmbedCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  progressBar: Boolean(process.stderr.isTTY),
}).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`embed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}\n`);
    process.exit(1);
  },
);
