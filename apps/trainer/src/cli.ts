#!/usr/bin/env node
import { Option, type Command } from 'commander';
import { ENGINE_NAMES } from '@msae/engines';
import { CliError, createProgram, InterruptedError, positiveNumber, runCli } from '@msae/cli-kit';
import { pickTrainingOptions, validateTrainingOptions } from '@msae/training';
import { createReporter } from './progress-reporter.js';
import { resultsTable } from './results-table.js';
import { runTraining } from './train.js';
import { runSweepCommand } from './sweep-command.js';
import { flagOf, type TrainOptions } from './train-options.js';
import { trainingFlags } from './training-flags.js';
import { DEFAULT_SAVE_EVERY, parseSaveEvery } from './save-every.js';
import { watchStopSignals } from './stop-signals.js';

function buildProgram(): Command {
  const program = createProgram('msae-train')
    .description('Train a Matryoshka sparse autoencoder (or a ReLU/TopK/BatchTopK/JumpReLU baseline) on CLIP embeddings.\nWithout --data it trains on built-in SYNTHETIC demo data.')
    .option('--data <path>', 'training embeddings: a file, a directory of shards or a glob (.npy, paper memmap <name>_<N>_<D>.npy, .safetensors)')
    .option('--val <file>', 'validation embeddings (default: hold out 10% of --data)');
  // the training options (architecture, k, lr, AuxK, groups, JumpReLU, ...) come from @msae/training's schema
  for (const option of trainingFlags()) program.addOption(option);
  return program
    .option('--out <dir>', 'checkpoint directory (default runs/<label>: msae-rw, msae-uw, topk, batchtopk, relu)')
    .addOption(new Option('--backend <name>', 'compute engine').choices(ENGINE_NAMES as unknown as string[]).default('auto'))
    .option('--resume <dir>', 'continue training from a checkpoint directory')
    .option('--force', "replace a checkpoint another run left in --out", false)
    .option('--save-every <n|Nm>', `save a resumable checkpoint every N steps, Nm minutes or Nh hours while training, or off (default ${DEFAULT_SAVE_EVERY})`, parseSaveEvery)
    .option('--json', 'JSON lines per epoch; final JSON object as the last stdout line', false)
    .addOption(new Option('--streaming <mode>', 'read --data as a bounded-memory stream (on), in memory (off), or by size (auto)').choices(['auto', 'on', 'off']).default('auto'))
    .option('--shuffle-buffer <mib>', 'MiB of rows shuffled together when streaming (default 128; two are held)', positiveNumber('--shuffle-buffer'))
    .option('--sweep <file>', 'train the members of a sweep file (JSON) in one pass over the data; see the README');
}

async function main(): Promise<void> {
  const program = buildProgram();
  program.parse(process.argv);
  const o = program.opts();
  const training = pickTrainingOptions(o);
  if (o.sweep === undefined) validateTrainingOptions(training, {}, flagOf); // one line naming the flag, before any data is read
  const options: TrainOptions = {
    ...training,
    data: o.data,
    val: o.val,
    out: o.out,
    backend: o.backend,
    resume: o.resume,
    json: Boolean(o.json),
    streaming: o.streaming,
    shuffleBuffer: o.shuffleBuffer,
    force: Boolean(o.force),
  };
  // SIGINT, SIGTERM and SIGHUP: finish the step, save, one line, exit 128 + n (a second one quits at once)
  const stop = watchStopSignals();
  const saveEvery = program.getOptionValueSource('saveEvery') === 'cli' ? o.saveEvery : parseSaveEvery(DEFAULT_SAVE_EVERY);
  const control = { signal: stop.signal, saveEvery };
  const stopped = (message: string) => {
    const sig = stop.received() ?? 'SIGINT';
    return sig === 'SIGINT' ? new InterruptedError(message) : new CliError(`${sig}: ${message.replace(/^interrupted: /, '')}`, stop.exitCode(sig));
  };

  if (o.sweep !== undefined) {
    return runSweepCommand(program, control).catch((err: unknown) => {
      throw err instanceof InterruptedError ? stopped(err.message) : err;
    });
  }
  const reporter = createReporter(options.json);
  try {
    const result = await runTraining(options, reporter, control);
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
    if (InterruptedError.isInstance(error)) throw stopped(error.message);
    throw error;
  }
}

// The stop signals are handled above (save, then exit 128 + n); runCli prints every error as one line.
void runCli(main, { name: 'msae-train', exitOnSigint: false });
