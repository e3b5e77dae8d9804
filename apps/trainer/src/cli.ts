#!/usr/bin/env node
import { Option, type Command } from 'commander';
import { ARCHITECTURES, RECON_LOSSES, WEIGHTINGS, architecturesWithOption, getArchitecture, type Architecture, type ReconLoss, type Weighting } from '@msae/core';
import { ENGINE_NAMES } from '@msae/engines';
import { createProgram, integer, nonNegativeNumber, positiveInt, positiveNumber, runCli, UsageError } from '@msae/cli-kit';
import { createReporter } from './progress-reporter.js';
import { resultsTable } from './results-table.js';
import { runTraining } from './train.js';
import { runSweepCommand } from './sweep-command.js';
import type { TrainOptions } from './train-options.js';

/** Parser of a comma-separated list of positive numbers; fractions may be written a/b (e.g. 1/16,1/16,7/8). */
function numberList(flag: string): (value: string) => number[] {
  return (value) => {
    const out = value.split(',').map((part) => {
      const [num, den, extra] = part.trim().split('/');
      const v = den === undefined ? Number(num) : Number(num) / Number(den);
      if (extra !== undefined || num === '' || !(Number.isFinite(v) && v > 0)) throw new UsageError(`${flag} must be a comma-separated list of positive numbers, got '${value}'`);
      return v;
    });
    return out;
  };
}

function buildProgram(): Command {
  return createProgram('msae-train')
    .description('Train a Matryoshka sparse autoencoder (or a ReLU/TopK/BatchTopK/JumpReLU baseline) on CLIP embeddings.\nWithout --data it trains on built-in SYNTHETIC demo data.')
    .option('--data <path>', 'training embeddings: a file, a directory of shards or a glob (.npy, paper memmap <name>_<N>_<D>.npy, .safetensors)')
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
    .option('--out <dir>', 'checkpoint directory (default runs/<label>: msae-rw, msae-uw, topk, batchtopk, relu)')
    .addOption(new Option('--backend <name>', 'compute engine').choices(ENGINE_NAMES as unknown as string[]).default('auto'))
    .option('--resume <dir>', 'continue training from a checkpoint directory')
    .option('--json', 'JSON lines per epoch; final JSON object as the last stdout line', false)
    .option('--max-steps <n>', 'stop after n steps in all (the LR schedule ends there; checkpoint saved as usual)', positiveInt('--max-steps'))
    .addOption(new Option('--streaming <mode>', 'read --data as a bounded-memory stream (on), in memory (off), or by size (auto)').choices(['auto', 'on', 'off']).default('auto'))
    .option('--shuffle-buffer <mib>', 'MiB of rows shuffled together when streaming (default 128; two are held)', positiveNumber('--shuffle-buffer'))
    .option('--data-seed <n>', 'seed of the shuffle and the hold-out (default --seed)', integer('--data-seed'))
    .option('--auxk', 'AuxK loss (Gao et al.): dead latents reconstruct the residual at the own k (topk, batchtopk, msae, matryoshka-batchtopk)')
    .option('--aux-k <n>', 'AuxK: dead latents per row (default d_in / 2; implies --auxk)', positiveInt('--aux-k'))
    .option('--aux-weight <x>', 'AuxK loss weight (default 1/32; 0 = off; implies --auxk)', nonNegativeNumber('--aux-weight'))
    .option('--dead-after <n>', 'AuxK: samples without firing before a latent is dead (default one epoch of training rows; implies --auxk)', positiveInt('--dead-after'))
    .option('--groups <list>', 'matryoshka-batchtopk latent groups: counts summing to d_sae or fractions summing to 1, comma-separated (default 1/16,1/16,1/8,1/4,1/2)', numberList('--groups'))
    .option('--group-weights <list>', 'matryoshka-batchtopk loss weight of each group prefix, comma-separated (default 1 each)', numberList('--group-weights'))
    .option('--l0 <x>', 'jumprelu: L0 penalty coefficient, l0 * mean active latents per row (default 0.001)', nonNegativeNumber('--l0'))
    .option('--bandwidth <x>', 'jumprelu: kernel bandwidth of the threshold straight-through estimator (default 0.001)', positiveNumber('--bandwidth'))
    .option('--init-threshold <x>', 'jumprelu: initial threshold of every latent (default 0.001)', positiveNumber('--init-threshold'))
    .option('--sweep <file>', 'train the members of a sweep file (JSON) in one pass over the data; see the README')
}

async function main(): Promise<void> {
  const program = buildProgram();
  program.parse(process.argv);
  const o = program.opts();
  if (o.expansion !== undefined && o.latents !== undefined) throw new UsageError('give --expansion or --latents, not both');
  if (o.l1 !== undefined && !getArchitecture(o.architecture).options.l1) {
    throw new UsageError(`--l1 applies to --architecture ${architecturesWithOption('l1').join(', ')} only`);
  }
  const auxGiven = o.auxk || o.auxK !== undefined || o.auxWeight !== undefined || o.deadAfter !== undefined;
  if (auxGiven && !getArchitecture(o.architecture).options.auxK) {
    throw new UsageError(`--auxk, --aux-k, --aux-weight and --dead-after apply to --architecture ${architecturesWithOption('auxK').join(', ')} only`);
  }
  if ((o.groups !== undefined || o.groupWeights !== undefined) && !getArchitecture(o.architecture).options.groups) {
    throw new UsageError(`--groups and --group-weights apply to --architecture ${architecturesWithOption('groups').join(', ')} only`);
  }
  if ((o.l0 !== undefined || o.bandwidth !== undefined || o.initThreshold !== undefined) && !getArchitecture(o.architecture).options.threshold) {
    throw new UsageError(`--l0, --bandwidth and --init-threshold apply to --architecture ${architecturesWithOption('threshold').join(', ')} only`);
  }
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
    maxSteps: o.maxSteps,
    streaming: o.streaming,
    shuffleBuffer: o.shuffleBuffer,
    dataSeed: o.dataSeed,
    auxk: Boolean(o.auxk),
    auxK: o.auxK,
    auxWeight: o.auxWeight,
    deadAfter: o.deadAfter,
    groups: o.groups,
    groupWeights: o.groupWeights,
    l0: o.l0,
    bandwidth: o.bandwidth,
    initThreshold: o.initThreshold,
  };

  let interrupts = 0;
  const stop = new AbortController();
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    stop.abort();
    process.stderr.write('\nCtrl-C: finishing this step and saving a checkpoint (Ctrl-C again to quit without saving)\n');
  });

  if (o.sweep !== undefined) return runSweepCommand(program, { signal: stop.signal });
  const reporter = createReporter(options.json);
  try {
    const result = await runTraining(options, reporter, { signal: stop.signal });
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
    throw error;
  }
}

// Ctrl-C is handled above (save, then exit 130); runCli prints every error as one line.
void runCli(main, { name: 'msae-train', exitOnSigint: false });
