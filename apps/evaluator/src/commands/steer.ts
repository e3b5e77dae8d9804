/** `msae-eval steer`: edit SAE codes of embeddings (per latent or per named concept) and write the steered rows. */
import type { Command } from 'commander';
import type { LatentEdit } from '@msae/analysis';
import { CliError, UsageError } from '../cli-error.js';
import { createReporter } from '../progress-reporter.js';
import { checkModelWidth, latentName, loadModel, parseCodeK, readMatrix, readNaming } from './analysis-inputs.js';

export interface SteerCommandOptions {
  checkpoint?: string;
  data?: string;
  edit?: string[];
  names?: string;
  k: string;
  renormalize: boolean;
  out?: string;
  json: boolean;
}

export interface SteerSummary {
  checkpoint: string;
  data: string;
  out: string;
  rows: number;
  k: number | null;
  renormalize: boolean;
  edits: { latent: number; concept: string | null; name: string | null; op: string; value: number; activeRows: number }[];
  meanShift: number;
  meanCosine: number;
}

const collect = (v: string, previous: string[] | undefined) => [...(previous ?? []), v];

export function registerSteerCommand(program: Command): void {
  program
    .command('steer')
    .description("steer embeddings through the SAE: z = encode(x), edit z (set / scale / add per latent or concept), x' = x + decode(z') - decode(z)")
    .option('--checkpoint <dir>', 'checkpoint directory')
    .option('--data <file>', 'embeddings to steer (original CLIP space)')
    .option('--edit <edit>', 'LATENT=V (set), LATENT=*X (scale), LATENT=+X (add); LATENT an index or a concept name from --names (repeatable)', collect)
    .option('--names <file>', 'naming result: names.json of msae-eval name --out DIR (or that directory)')
    .option('--k <n|all>', "codes from the top-k encode, or 'all' positive codes", 'all')
    .option('--renormalize', 'rescale steered rows to unit norm', false)
    .option('--out <file>', 'steered embeddings (.npy, .safetensors)')
    .option('--json', 'print a JSON summary as the last stdout line', false)
    .action(async (opts: SteerCommandOptions) => runSteer(opts));
}

async function runSteer(opts: SteerCommandOptions): Promise<void> {
  if (!opts.checkpoint) throw new UsageError('steer: missing --checkpoint DIR');
  if (!opts.data) throw new UsageError('steer: missing --data FILE');
  if (!opts.out) throw new UsageError('steer: missing --out FILE (steered embeddings)');
  const k = parseCodeK(opts.k);
  const reporter = createReporter(opts.json);
  const { parseEdit, resolveEdits, steer } = await import('@msae/analysis');
  const { checkOutputPath, writeEmbeddings } = await import('@msae/io');
  const edits = (opts.edit ?? []).map(parseEdit);
  const naming = opts.names ? await readNaming(opts.names) : undefined;
  const { model, name } = await loadModel(opts.checkpoint, (m) => reporter.info(m));
  let latentEdits: LatentEdit[];
  try {
    latentEdits = resolveEdits(edits, model.dSae, naming);
  } catch (error) {
    throw new CliError(`--edit: ${(error as Error).message}${opts.names ? ` (${opts.names})` : ''}`);
  }
  await checkOutputPath(opts.out, { kind: 'file', createsParents: false }).catch((e: unknown) => {
    throw new CliError(`--out ${opts.out}: ${(e as Error).message}`);
  });
  const x = await readMatrix(opts.data, '--data');
  checkModelWidth(model, x, opts.data);
  reporter.start(`steering ${x.rows} rows (${latentEdits.length} latent edits)`);
  const steered = await (steer(model, x, latentEdits, { k, renormalize: opts.renormalize }));
  reporter.finish();
  await (writeEmbeddings(opts.out!, steered));
  const summary = summarize(opts, name, x, steered, latentEdits, naming, k);
  if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stdout.write(`${steerTable(summary)}\n`);
}

function summarize(
  opts: SteerCommandOptions,
  checkpoint: string,
  x: { data: Float32Array; rows: number; cols: number },
  steered: Awaited<ReturnType<typeof import('@msae/analysis').steer>>,
  edits: LatentEdit[],
  naming: Awaited<ReturnType<typeof readNaming>> | undefined,
  k: number | undefined,
): SteerSummary {
  const { codes } = steered;
  const active = (j: number) => {
    let n = 0;
    for (let r = 0; r < codes.rows; r++) for (let e = codes.indptr[r]; e < codes.indptr[r + 1]; e++) if (codes.indices[e] === j) n++;
    return n;
  };
  let cosSum = 0;
  for (let r = 0; r < x.rows; r++) {
    let dot = 0, a = 0, b = 0;
    for (let d = 0; d < x.cols; d++) {
      const u = x.data[r * x.cols + d];
      const v = steered.data[r * x.cols + d];
      dot += u * v;
      a += u * u;
      b += v * v;
    }
    cosSum += dot / Math.sqrt(a * b || 1);
  }
  return {
    checkpoint,
    data: opts.data!,
    out: opts.out!,
    rows: x.rows,
    k: k ?? null,
    renormalize: opts.renormalize,
    edits: edits.map((e) => ({ latent: e.latent, concept: e.concept ?? null, name: latentName(naming, e.latent), op: e.op, value: e.value, activeRows: active(e.latent) })),
    meanShift: steered.shift.reduce((s, v) => s + v, 0) / Math.max(1, x.rows),
    meanCosine: cosSum / Math.max(1, x.rows),
  };
}

export function steerTable(s: SteerSummary): string {
  const lines = [
    `steered ${s.rows} rows of ${s.data} with ${s.checkpoint} (codes: ${s.k === null ? 'every positive' : `top ${s.k}`}${s.renormalize ? ', renormalized' : ''}) -> ${s.out}`,
    '',
    '| latent | concept | name | edit | rows active |',
    '| ---: | --- | --- | --- | ---: |',
    ...s.edits.map((e) => `| ${e.latent} | ${e.concept ?? ''} | ${e.name ?? ''} | ${e.op === 'set' ? '=' : e.op === 'scale' ? '*' : '+'}${e.value} | ${e.activeRows} |`),
    '',
    `mean ||x' - x|| ${s.meanShift.toFixed(4)}, mean cos(x, x') ${s.meanCosine.toFixed(4)}`,
  ];
  return lines.join('\n');
}
