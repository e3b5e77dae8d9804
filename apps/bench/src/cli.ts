#!/usr/bin/env node
/**
 * `msae-bench` (`pnpm --silent bench [--json] [--config A|B|C|D] [--baseline]`: training throughput of the native CPU engine on
 * the configs (and D, A's largest level alone), each measured in its own child process (so peak RSS is per config), optionally side by
 * side with the PyTorch baseline (python/pytorch_baseline.py). Progress on stderr; table (or JSON as the last
 * line with --json) on stdout.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import { choiceParser, CliError, createProgram, listParser, nonNegativeInt, positiveInt, runCli } from '@msae/cli-kit';
import { engineRegistry } from '@msae/engines';
import { BENCH_CONFIG_NAMES, benchConfig, benchConfigs } from './configs.js';
import { measureConfig, type BenchResult } from './measure.js';
import { baselineScript, baselineUnavailable, runBaseline } from './pytorch-baseline.js';
import { formatTable, summarize, type ConfigReport } from './report.js';
import { syntheticBatch } from './synthetic-batch.js';

const log = (line: string) => process.stderr.write(line + '\n');

/** `--config a,B`: bench config names, upper-cased. */
const configNames = listParser('--config', choiceParser('--config', BENCH_CONFIG_NAMES, { ignoreCase: true }));

interface Options {
  json?: boolean;
  config?: string[];
  baseline?: boolean;
  steps: number;
  warmup: number;
  threads?: number;
  worker?: string;
  engine: 'cpu' | 'webgpu';
}

/** Measure one config in a fresh Node process (this file with --worker). */
function measureInChild(name: string, o: Options): BenchResult {
  const self = fileURLToPath(import.meta.url);
  const args = [self, '--worker', name, '--steps', String(o.steps), '--warmup', String(o.warmup)];
  if (o.threads) args.push('--threads', String(o.threads));
  args.push('--engine', o.engine);
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new CliError(`config ${name} failed (exit ${r.status ?? r.signal})`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as BenchResult;
}

async function main(): Promise<void> {
  const program = createProgram('msae-bench')
    .description('Training throughput of the native CPU engine (configs A, B, C of issue 4 and D), optionally vs PyTorch')
    .option('--json', 'print one JSON object {"configs": [...]} as the last stdout line')
    .option('--config <names>', 'run only these configs (A, B, C, D or a comma list)', configNames)
    .option('--baseline', 'also run the PyTorch baseline (python/pytorch_baseline.py) and print ours/PyTorch')
    .option('--steps <n>', 'timed training steps per config (median reported)', positiveInt('--steps'), 5)
    .option('--warmup <n>', 'warm-up steps before timing', nonNegativeInt('--warmup'), 1)
    .option('--threads <n>', 'threads for our engine and PyTorch (default: all cores)', positiveInt('--threads'))
    .option(
      '--engine <name>',
      'our engine (an @msae/engines name): cpu (native) or webgpu (needs a WebGPU adapter; a software one is used when asked for)',
      choiceParser('--engine', ['cpu', 'webgpu']),
      'cpu',
    )
    .addOption(new Option('--worker <name>', 'internal: measure one config in this process').hideHelp());
  program.parse(process.argv);
  const o = program.opts<Options>();

  if (o.worker) {
    const result = await measureConfig(benchConfig(o.worker), { steps: o.steps, warmup: o.warmup, threads: o.threads, engine: o.engine, log });
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }

  const availability = await engineRegistry.availability(o.engine); // probes only our engine
  if (!availability.available)
    throw new CliError(
      `${o.engine === 'webgpu' ? 'webgpu' : 'native CPU'} engine unavailable: ${availability.reason?.replace(/^webgpu engine: /, '')}`,
    );
  const names = o.config ?? benchConfigs().map((c) => c.name);
  let script: string | undefined;
  if (o.baseline) {
    script = baselineScript(path.dirname(fileURLToPath(import.meta.url)));
    const why = baselineUnavailable(script);
    if (why) {
      log(`PyTorch baseline skipped: ${why}`);
      script = undefined;
    }
  }
  const reports: ConfigReport[] = [];
  for (const name of names) {
    const bc = benchConfig(name);
    log(`config ${name}: ${bc.description}, batch ${bc.batch}: our engine`);
    const report: ConfigReport = measureInChild(name, o);
    if (script) {
      log(`config ${name}: PyTorch baseline`);
      // PyTorch's own thread defaults unless --threads is given (then both engines get that many)
      report.baseline = runBaseline(script, name, syntheticBatch(bc.batch, bc.config.dIn, 1), o);
      report.ratioVsBaseline = report.samplesPerSecond / report.baseline.samplesPerSecond;
    }
    reports.push(report);
  }
  if (o.json) {
    process.stdout.write(JSON.stringify({ configs: reports, ...summarize(reports) }) + '\n');
  } else {
    process.stdout.write(formatTable(reports) + '\n');
  }
}

void runCli(main, { name: 'msae-bench' });
