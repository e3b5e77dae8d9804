#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { ARCHITECTURES, RECON_LOSSES, WEIGHTINGS, type Architecture, type ReconLoss, type Weighting } from '@msae/core';
import { ENGINE_NAMES } from '@msae/engines';
import { createReporter } from './progress-reporter.js';
import { resultsTable } from './results-table.js';
import { runTraining, TrainingInterrupted } from './train.js';
import type { TrainOptions } from './train-options.js';

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};
const positiveNumber = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};
const nonNegativeNumber = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative number`);
  return n;
};
const integer = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer`);
  return n;
};

function buildProgram(): Command {
  return new Command('msae-train')
    .description('Train a Matryoshka sparse autoencoder (or a ReLU/TopK/BatchTopK baseline) on CLIP embeddings.\nWithout --data it trains on built-in SYNTHETIC demo data.')
    .option('--data <file>', 'training embeddings (.npy, paper memmap <name>_<N>_<D>.npy, .safetensors)')
    .option('--val <file>', 'validation embeddings (default: hold out 10% of --data)')
    .addOption(new Option('--architecture <name>', 'SAE architecture').choices(ARCHITECTURES as string[]).default('msae'))
    .addOption(new Option('--weighting <name>', 'Matryoshka level weighting (msae)').choices(WEIGHTINGS as string[]).default('rw'))
    .option('--k <n>', 'TopK k, BatchTopK k, or MSAE k0 (default 64)', positiveInt('--k'))
    .option('--expansion <x>', 'latents = expansion x d_in (default 8)', positiveNumber('--expansion'))
    .option('--latents <n>', 'number of latents (instead of --expansion)', positiveInt('--latents'))
    .option('--epochs <n>', 'epochs (default 30; demo 5)', positiveInt('--epochs'))
    .option('--batch-size <n>', 'batch size (default 4096; demo 256)', positiveInt('--batch-size'))
    .option('--lr <x>', 'peak learning rate (default per architecture)', positiveNumber('--lr'))
    .option('--l1 <x>', 'L1 weight (relu; default 0.003)', nonNegativeNumber('--l1'))
    .addOption(new Option('--loss <name>', 'reconstruction loss').choices(RECON_LOSSES as string[]).default('nmse'))
    .option('--seed <n>', 'random seed', integer('--seed'), 42)
    .option('--out <dir>', 'checkpoint directory (default runs/<architecture>[-<weighting>])')
    .addOption(new Option('--backend <name>', 'compute engine').choices(ENGINE_NAMES as unknown as string[]).default('auto'))
    .option('--resume <dir>', 'continue training from a checkpoint directory')
    .option('--json', 'JSON lines per epoch; final JSON object as the last stdout line', false)
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') })
    .exitOverride((err) => {
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
}

async function main(): Promise<void> {
  const program = buildProgram();
  program.parse(process.argv);
  const o = program.opts();
  if (o.expansion !== undefined && o.latents !== undefined) fail('give --expansion or --latents, not both');
  if (o.l1 !== undefined && o.architecture !== 'relu') fail('--l1 applies to --architecture relu only');
  const options: TrainOptions = {
    data: o.data,
    val: o.val,
    architecture: o.architecture as Architecture,
    weighting: o.weighting as Weighting,
    k: o.k,
    expansion: o.expansion,
    latents: o.latents,
    epochs: o.epochs,
    batchSize: o.batchSize,
    lr: o.lr,
    l1: o.l1,
    loss: o.loss as ReconLoss,
    seed: o.seed,
    out: o.out,
    backend: o.backend,
    resume: o.resume,
    json: Boolean(o.json),
  };

  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nCtrl-C: finishing this step and saving a checkpoint (Ctrl-C again to quit without saving)\n');
  });

  const reporter = createReporter(options.json);
  try {
    const result = await runTraining(options, reporter, () => interrupts > 0);
    reporter.info(`checkpoint: ${result.checkpoint}`);
    if (options.json) {
      const { interrupted: _ignored, ...rest } = result;
      process.stdout.write(`${JSON.stringify(rest)}\n`);
    } else {
      process.stdout.write(`\nValidation (${result.val.length} k values; seconds ${result.seconds.toFixed(1)}, ${Math.round(result.samplesPerSecond)} samples/s)\n`);
      process.stdout.write(`${resultsTable(result.val)}\n`);
    }
  } catch (error) {
    reporter.stop();
    if (error instanceof TrainingInterrupted) {
      process.stderr.write(`${error.message}\n`);
      process.exit(130);
    }
    throw error;
  }
}

function fail(message: string): never {
  process.stderr.write(`msae-train: ${message}\n`);
  process.exit(2);
}

main().catch((error: unknown) => {
  if (process.env.MSAE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  const message = error instanceof Error ? error.message : String(error);
  fail(message.split('\n')[0]);
});
