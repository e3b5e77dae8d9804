/**
 * `msae-eval latents`: a dashboard for every latent, named or not (latents.json, latents.csv and a
 * static latents.html): frequency, activation histogram, top activations with near-duplicates
 * collapsed, examples across activation quantiles (with row labels, sources, zero-shot classes),
 * decoder-nearest latents, name, candidates and the evidence in plain words.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildLatentDashboards, dashboardsToCsv, dashboardsToHtml, type LatentDashboardSet } from '@msae/concepts';
import { CliError, oneLineMessage } from '../cli-error.js';
import { readMatrix } from './analysis-inputs.js';
import { addNamingOptions, pipelineOptions } from './naming-options.js';
import { runNamingPipeline } from './naming-pipeline.js';

/** Per-row strings from FILE (a JSON array) or FILE#key (an array under that key of a JSON object). */
export async function readRowStrings(spec: string, option: string, rows: number): Promise<string[]> {
  const hash = spec.lastIndexOf('#');
  const file = hash > 0 ? spec.slice(0, hash) : spec;
  const key = hash > 0 ? spec.slice(hash + 1) : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new CliError(`${option} ${file}: ${(e as { code?: string }).code === 'ENOENT' ? 'no such file' : oneLineMessage(e)}`);
  }
  const list = key === undefined ? parsed : (parsed as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) throw new CliError(`${option} ${spec}: expected a JSON array${key === undefined ? ' (or FILE#key for an array inside an object)' : ` under key "${key}"`}`);
  if (list.length !== rows) throw new CliError(`${option} ${spec}: ${list.length} entries for ${rows} data rows`);
  return list.map((x) => String(x));
}

/** Zero-shot class per row: argmax_c cos(x, head_c). */
async function zeroShotClasses(classifier: string, classes: string, data: { data: Float32Array; rows: number; cols: number }): Promise<string[]> {
  const head = await readMatrix(classifier, '--classifier');
  if (head.cols !== data.cols) throw new CliError(`--classifier ${classifier}: ${head.cols}-d rows but the data is ${data.cols}-d`);
  const names = await readRowStrings(classes, '--classes', head.rows);
  const { blockedMatmulABt } = await import('@msae/core');
  const s = await blockedMatmulABt(data, head);
  const out: string[] = [];
  for (let r = 0; r < data.rows; r++) {
    let best = 0;
    for (let c = 1; c < head.rows; c++) if (s[r * head.rows + c] > s[r * head.rows + best]) best = c;
    out.push(names[best]);
  }
  return out;
}

export async function runLatents(raw: Record<string, unknown>, log: (m: string) => void): Promise<LatentDashboardSet> {
  const opts = pipelineOptions(raw);
  const out = raw.out as string;
  const { checkOutputPath, writeFileAtomic } = await import('@msae/io');
  await checkOutputPath(out, { kind: 'directory', createsParents: true });
  if ((raw.classifier === undefined) !== (raw.classes === undefined)) throw new CliError('--classifier and --classes go together');
  const p = await runNamingPipeline(opts, log);
  const rows = p.data?.matrix.rows ?? 0;
  if (!p.data && (raw.rowLabels || raw.sources || raw.classifier)) throw new CliError('--row-labels, --sources and --classifier describe --data rows: give --data');
  const rowLabels = raw.rowLabels ? await readRowStrings(raw.rowLabels as string, '--row-labels', rows) : undefined;
  const rowSources = raw.sources ? await readRowStrings(raw.sources as string, '--sources', rows) : undefined;
  const zeroShot = raw.classifier && p.data ? await zeroShotClasses(raw.classifier as string, raw.classes as string, p.data.matrix) : undefined;
  const { createMatmulProvider } = await import('@msae/engines');
  const matmul = await createMatmulProvider('auto', {});
  const ck = p.checkpoint;
  const latents = await buildLatentDashboards({
    decoder: { data: ck.params.W_dec, rows: ck.config.dSae, cols: ck.config.dIn },
    decisions: p.naming.decisions,
    columns: p.data?.columns,
    dataRows: rows,
    duplicates: p.data?.duplicates,
    rowLabels,
    rowSources,
    zeroShot,
    nesting: ck.config.nesting.length > 1 ? ck.config.nesting : undefined,
    parents: p.parents,
    matmul,
  });
  const set: LatentDashboardSet = {
    checkpoint: opts.checkpoint,
    vocabulary: { size: p.vocabulary.labels.length, sources: p.vocabularySources },
    data: p.data ? { file: p.data.file, rows, duplicateRows: p.data.duplicates.duplicateRows, distinctRows: p.data.duplicates.distinctRows } : null,
    nesting: ck.config.nesting.length > 1 ? ck.config.nesting : [],
    rule: { fdr: p.naming.rule.fdr, ...(p.data ? { maxEvidenceRank: p.naming.rule.maxEvidenceRank } : {}) },
    named: p.naming.named,
    latents,
  };
  await mkdir(out, { recursive: true });
  const enc = (s: string) => [new TextEncoder().encode(s)];
  await writeFileAtomic(join(out, 'latents.json'), enc(`${JSON.stringify(set)}\n`));
  await writeFileAtomic(join(out, 'latents.csv'), enc(dashboardsToCsv(latents)));
  await writeFileAtomic(join(out, 'latents.html'), enc(dashboardsToHtml(set)));
  const h = p.naming.heldOut;
  log(
    `named ${set.named} of ${latents.length} latents${h ? `; held-out: ${h.holdsUp} of ${h.checkable} checkable names hold up` : ''}; wrote latents.json, latents.csv and latents.html to ${out}`,
  );
  return set;
}

/** Adds `latents` to the msae-eval program. */
export function registerLatentsCommand(program: Command): void {
  addNamingOptions(program.command('latents').description('a dashboard for every latent (JSON, CSV, static HTML): frequency, histogram, top and quantile examples, nearest latents, name and evidence'))
    .requiredOption('--out <dir>', 'write latents.json, latents.csv and latents.html here')
    .option('--row-labels <file[#key]>', 'a label per --data row (JSON array, or an array under key of a JSON object)')
    .option('--sources <file[#key]>', 'a source per --data row, e.g. images_sources.json#train')
    .option('--classifier <file>', 'zero-shot head (.npy, one row per class): each example shows its zero-shot class')
    .option('--classes <file[#key]>', 'class names of --classifier (JSON array)')
    .action(async (raw: Record<string, unknown>) => {
      try {
        await runLatents(raw, (m) => process.stderr.write(`${m}\n`));
      } catch (err) {
        process.stderr.write(`msae-eval latents: ${oneLineMessage(err)}\n`);
        process.exitCode = 1;
      }
    });
}
