#!/usr/bin/env node
import { runCli } from '@msae/cli-kit';
import { buildProgram } from './program.js';

// Every error (usage, typed IO/config errors, the rest) is one stderr line `msae-eval: ...` (see runCli).
void runCli(
  async () => {
    const program = await buildProgram();
    await program.parseAsync(process.argv);
  },
  { name: 'msae-eval' },
);
