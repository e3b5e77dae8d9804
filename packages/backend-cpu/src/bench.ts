/**
 * `pnpm --silent bench [--json] [--config A|B|C|D] [--baseline]`: training throughput of the native CPU engine on
 * the configs (and D, A's largest level alone), each measured in its own child process (so peak RSS is per config), optionally side by
 * side with the PyTorch baseline (bench/pytorch_baseline.py). Progress on stderr; table (or JSON as the last
 * line with --json) on stdout.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { BENCH_CONFIG_NAMES, benchConfig, benchConfigs } from './bench/configs.js';
import { measureConfig, type BenchResult } from './bench/measure.js';
import { baselineScript, baselineUnavailable, runBaseline } from './bench/pytorch-baseline.js';
import { formatTable, summarize, type ConfigReport } from './bench/report.js';
import { syntheticBatch } from './bench/synthetic-batch.js';
import { cpuEngineAvailability } from './native-binding.js';

const log = (line: string) => process.stderr.write(line + '\n');

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}
function configName(v: string): string {
  const names = v.split(',').map((s) => s.trim().toUpperCase());
  const known: readonly string[] = BENCH_CONFIG_NAMES;
  for (const n of names) if (!known.includes(n)) throw new InvalidArgumentError(`unknown config '${n}' (expected ${known.join(', ')})`);
  return names.join(',');
}

interface Options {
  json?: boolean;
  config?: string;
  baseline?: boolean;
  steps: number;
  warmup: number;
  threads?: number;
  worker?: string;
}

/** Measure one config in a fresh Node process (this file with --worker). */
function measureInChild(name: string, o: Options): BenchResult {
  const self = fileURLToPath(import.meta.url);
  const args = [self, '--worker', name, '--steps', String(o.steps), '--warmup', String(o.warmup)];
  if (o.threads) args.push('--threads', String(o.threads));
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`config ${name} failed (exit ${r.status ?? r.signal})`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as BenchResult;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('bench')
    .description('Training throughput of the native CPU engine (configs A, B, C of issue 4 and D), optionally vs PyTorch')
    .option('--json', 'print one JSON object {"configs": [...]} as the last stdout line')
    .option('--config <names>', 'run only these configs (A, B, C, D or a comma list)', configName)
    .option('--baseline', 'also run the PyTorch baseline (bench/pytorch_baseline.py) and print ours/PyTorch')
    .option('--steps <n>', 'timed training steps per config (median reported)', positiveInt, 5)
    .option('--warmup <n>', 'warm-up steps before timing', nonNegativeInt, 1)
    .option('--threads <n>', 'threads for our engine and PyTorch (default: all cores)', positiveInt)
    .addOption(new Command().createOption('--worker <name>', 'internal: measure one config in this process').hideHelp())
    .showHelpAfterError(false)
    .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') })
    .exitOverride();
  try {
    program.parse(process.argv);
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode ?? 1;
    process.exit(code);
  }
  const o = program.opts<Options>();

  if (o.worker) {
    const result = await measureConfig(benchConfig(o.worker), { steps: o.steps, warmup: o.warmup, threads: o.threads, log });
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }

  const availability = cpuEngineAvailability();
  if (!availability.available) throw new Error(`native CPU engine unavailable: ${availability.reason}`);
  const names = o.config ? o.config.split(',') : benchConfigs().map((c) => c.name);
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

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
