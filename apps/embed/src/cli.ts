#!/usr/bin/env node
import { runCli } from '@msae/cli-kit';
import { runEmbedCli } from './embed-command.js';

/** `msae-embed --model ID|DIR (--images DIR | --texts FILE) --out FILE.npy [...]` (`pnpm --silent embed`). */
void runCli(
  () =>
    runEmbedCli(process.argv.slice(2), {
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      progressBar: Boolean(process.stderr.isTTY),
    }),
  // transformers.js / onnxruntime keep handles open: exit once the files are written
  { name: 'msae-embed', exitOnSuccess: true },
);
