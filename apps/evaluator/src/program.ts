import { createProgram, nonNegativeInt, positiveInt } from '@msae/cli-kit';
import { architectureLabel } from '@msae/core';
import type { Command } from 'commander';
import { CliError, oneLineMessage } from './cli-error.js';
import { unknownOptionsFirst } from './option-order.js';
import type { EvaluationResult } from './evaluate-checkpoints.js';
import { parseKs } from './parse-ks.js';
import { createReporter } from './progress-reporter.js';
import { resultsTable } from './results-table.js';

// Engines, embedding IO and plotting load lazily inside the actions, so --help and usage errors answer at once.

interface RootOptions {
  checkpoint?: string;
  compare?: string[];
  data?: string;
  k?: number[];
  cknnaRows: number;
  batchSize: number;
  json: boolean;
  out?: string;
  backend: string;
  classifier?: string;
  classes?: string;
  classifierLabels?: string;
}

/** The msae-eval command line: evaluation (root), `align`, and `name` (registered by the concepts command). */
export async function buildProgram(): Promise<Command> {
  const program = createProgram('msae-eval')
    .description(
      'Evaluate SAE checkpoints the way the MSAE paper does: progressive top-k reconstruction metrics (FVU, cosine, NMAE, L0, dead latents, CKNNA) on an embedding file.',
    )
    .option('--checkpoint <dir>', 'checkpoint: an msae or SAELens directory, the MSAE paper\'s .pth, or dictionary_learning\'s ae.pt (+ config.json)')
    .option('--compare <dirs...>', 'several checkpoint directories: one table and one Pareto plot')
    .option('--data <file>', 'embeddings in the original CLIP space (.npy, paper memmap <name>_<N>_<D>.npy, .safetensors)')
    .option('--k <list>', "budgets, e.g. 16,32,64,all (default 16, 32, ... doubling, then d_sae; 'all' = every positive code)", parseKs)
    .option('--cknna-rows <n>', 'CKNNA between x and z on the first n rows (0 skips it)', nonNegativeInt('--cknna-rows'), 1000)
    .option('--batch-size <n>', 'rows per engine call', positiveInt('--batch-size'), 1024)
    .option('--json', 'JSON lines; the final {"results": [...]} object is the last stdout line', false)
    .option('--out <dir>', 'write report.md, results.json and pareto.svg/.png there')
    .option('--backend <name>', 'compute engine: auto, reference, cpu, tfjs-cpu, tfjs-wasm, ... (see @msae/engines)', 'auto')
    .option('--classifier <file>', 'downstream preservation per k: zero-shot head .npy (logits 100 cos) or classifier .json; adds agreement and KL')
    .option('--classes <file>', 'class names of --classifier (JSON array)')
    .option('--classifier-labels <file>', 'JSON array of true classes per row (indices or --classes names): adds accuracy on x and x^')
    .enablePositionalOptions()
    .action(async (options: RootOptions) => runEvaluate(options));

  program
    .command('align')
    .description('Seed-stability check: match two checkpoints\' decoder rows one-to-one by cosine (Hungarian) and report the mean matched cosine and the fraction above 0.7')
    .argument('<dir1>', 'first checkpoint directory')
    .argument('<dir2>', 'second checkpoint directory')
    .option('--json', 'print one JSON object as the last stdout line', false)
    .action(async (dir1: string, dir2: string, options: { json: boolean }) => {
      const { alignCheckpoints, alignTable } = await import('./align-checkpoints.js');
      const result = await alignCheckpoints(dir1, dir2);
      if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(`${alignTable(result)}\n`);
    });

  await registerName(program);
  (await import('./commands/analysis-commands.js')).registerAnalysisCommands(program);
  (await import('./commands/convert.js')).registerConvertCommand(program);
  unknownOptionsFirst(program);
  return program;
}

/** `msae-eval name`, written by the concepts package's command; loaded lazily so evaluation works without it. */
async function registerName(program: Command): Promise<void> {
  try {
    const { registerNameCommand } = await import('./commands/name.js');
    registerNameCommand(program);
    (await import('./commands/latents.js')).registerLatentsCommand(program);
  } catch (error) {
    const reason = oneLineMessage(error);
    program
      .command('name')
      .description('name latents with a concept vocabulary (unavailable: see the error)')
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .action(() => {
        throw new CliError(`the name command could not be loaded: ${reason}`);
      });
  }
}

async function runEvaluate(options: RootOptions): Promise<void> {
  if (options.checkpoint && options.compare) throw new CliError('give --checkpoint DIR or --compare DIR1 DIR2 ..., not both', 2);
  const checkpoints = options.compare ?? (options.checkpoint ? [options.checkpoint] : []);
  if (checkpoints.length === 0) throw new CliError('missing --checkpoint DIR (or --compare DIR1 DIR2 ...); see --help', 2);
  if (!options.data) throw new CliError('missing --data FILE (embeddings to evaluate on)', 2);
  const { ENGINE_NAMES, isEngineName } = await import('@msae/engines');
  if (!isEngineName(options.backend)) {
    throw new CliError(`option '--backend <name>' argument '${options.backend}' is invalid (expected one of: ${ENGINE_NAMES.join(', ')})`, 2);
  }
  if (options.out) {
    // An unwritable --out must fail before the evaluation, not after it (writeReport creates missing parents).
    const { checkOutputPath } = await import('@msae/io');
    await checkOutputPath(options.out, { kind: 'directory', createsParents: true });
  }
  const downstream = await (await import('./commands/downstream-option.js')).loadDownstream(options);
  const { evaluateCheckpoints } = await import('./evaluate-checkpoints.js');
  const reporter = createReporter(options.json);
  let result: EvaluationResult;
  try {
    result = await evaluateCheckpoints(
      { checkpoints, data: options.data, ks: options.k, cknnaRows: options.cknnaRows, batchSize: options.batchSize, backend: options.backend, downstream },
      reporter,
    );
  } finally {
    reporter.finish();
  }
  const names = result.checkpoints.map((c) => c.name).join(' vs ');
  let report: string | undefined;
  if (options.out) {
    const { writeReport } = await import('./report/write-report.js');
    const written = await writeReport(options.out, {
      title: `SAE evaluation: ${names}`,
      details: [
        `data: ${result.data} (${result.rows} rows)`,
        ...result.checkpoints.map((c) => `checkpoint ${c.name}: ${c.dir} (${architectureLabel(c)}, k ${c.k}, ${c.dIn} -> ${c.dSae}), ${c.seconds.toFixed(1)} s`),
        `engine: ${result.engine}; CKNNA on the first ${Math.min(options.cknnaRows, result.rows)} rows (top 10 neighbours)`,
      ],
      records: result.results,
      seriesName: result.checkpoints[0]?.name,
      results: { results: result.results, data: result.data, rows: result.rows, engine: result.engine, checkpoints: result.checkpoints },
    });
    report = written.dir;
    reporter.info(`report: ${written.files.join(', ')}${written.pngSkipped ? ` (no PNG: ${written.pngSkipped})` : ''}`);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ results: result.results, data: result.data, rows: result.rows, engine: result.engine, checkpoints: result.checkpoints, seconds: result.seconds, ...(report ? { report } : {}) })}\n`);
  } else {
    process.stdout.write(`\n${names} on ${result.data} (${result.rows} rows, ${result.engine}, ${result.seconds.toFixed(1)} s)\n\n`);
    process.stdout.write(`${resultsTable(result.results)}\n`);
  }
}
