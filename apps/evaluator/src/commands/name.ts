/**
 * `msae-eval name`: name a checkpoint's latents with a concept vocabulary and say how sure we are.
 * Composes @msae/concepts (matching, confidence, evidence), @msae/clip (files, checkpoint, text model)
 * and @msae/engines (the fastest A B^T here: the native gemm in Node when it loads).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { type Column, createProgress, formatTable, number, positiveInt } from '@msae/cli-kit';
import type { Checkpoint, Matrix } from '@msae/core';
import { evidenceK } from './evidence-k.js';
import { createMatmulProvider } from '@msae/engines';
import {
  activationEvidence,
  activationStatistics,
  conceptIndex,
  latentsForConcept,
  DECODER_MAPPINGS,
  gateByEvidence,
  DEFAULT_TEMPLATE,
  DEFAULT_TEXT_MODEL,
  DEFAULT_THRESHOLDS,
  defaultVocabularyPath,
  loadVocabulary,
  nameLatents,
  type DecoderMapping,
  type LatentEvidence,
  type NamingResult,
  type Vocabulary,
} from '@msae/concepts';

export interface NameCommandOptions {
  checkpoint: string;
  vocab?: string;
  labels?: string;
  model: string;
  template: string[];
  data?: string;
  top: number;
  mapping: DecoderMapping;
  minZ: number;
  minMargin: number;
  topSamples: number;
  k?: number;
  center: boolean;
  minLift: number;
  batchSize?: number;
  cache: boolean;
  show: 'named' | 'all';
  /** Only latents carrying this concept (named, or as their best guess), most confident first. */
  concept?: string;
  json?: boolean;
  out?: string;
}

/** One latent in the JSON output. */
export interface NamedLatentRecord {
  index: number;
  name: string | null;
  score: number;
  margin: number;
  z: number;
  candidates: { label: string; score: number }[];
  /** With --data: fraction of samples where the latent is active. */
  frequency?: number;
  /** With --data, named latents: cos(concept text, mean of top-activating samples) and the all-data baseline. */
  evidence?: { topCosine: number; baselineCosine: number; lift: number; supported: boolean; topCount: number; topRows: number[] };
}

export interface NameReport {
  latents: NamedLatentRecord[];
  named: number;
  mapping: DecoderMapping;
  thresholds: { minZ: number; minMargin: number; minLift?: number };
  centeredVocabulary: boolean;
  /** With --data: latents named by the thresholds before the evidence check. */
  namedBeforeEvidence?: number;
  vocabulary: { file: string; size: number; model?: string; template?: string | string[]; cacheFile?: string };
  checkpoint: string;
  data?: string;
  seconds: { vocabulary: number; matching: number; evidence?: number; total: number };
}

const round = (x: number, digits = 5) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

const finiteNumber = number;

function collect(v: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), v];
}

/** A cli-progress bar on a TTY stderr, nothing otherwise (@msae/cli-kit's Progress). */
function progressBar(label: string, enabled: boolean) {
  const progress = createProgress({ mode: enabled && process.stderr.isTTY ? 'bar' : 'none', format: '{task} [{bar}] {percentage}% {value}/{total}' });
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) progress.start(label, total);
      started = true;
      progress.setTotal(total);
      progress.update(done);
    },
    stop: () => progress.stop(),
  };
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const { writeFileAtomic } = await import('@msae/io');
  await writeFileAtomic(file, [new TextEncoder().encode(text)]);
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** Markdown table of latents (named ones, or all). */
export function formatNameTable(report: NameReport, show: 'named' | 'all', concept?: string): string {
  const num = (v: number | undefined, digits: number) => (v === undefined ? '' : v.toFixed(digits));
  const columns: Column<NamedLatentRecord>[] = [
    { header: 'latent', cell: (l) => String(l.index) },
    { header: 'name', align: 'left', cell: (l) => (l.name === null ? '-' : escapeCell(l.name)) },
    { header: 'score', cell: (l) => l.score.toFixed(3) },
    { header: 'margin', cell: (l) => l.margin.toFixed(3) },
    { header: 'z', cell: (l) => l.z.toFixed(2) },
    ...(report.data !== undefined
      ? [
          { header: 'freq', cell: (l: NamedLatentRecord) => num(l.frequency, 4) },
          { header: 'top cos', cell: (l: NamedLatentRecord) => num(l.evidence?.topCosine, 3) },
          { header: 'lift', cell: (l: NamedLatentRecord) => num(l.evidence?.lift, 3) },
        ]
      : []),
    { header: 'candidates', align: 'left', cell: (l) => escapeCell(l.candidates.map((c) => `${c.label} (${c.score.toFixed(3)})`).join(', ')) },
  ];
  const rows =
    concept === undefined
      ? report.latents.filter((l) => show === 'all' || l.name !== null)
      : latentsForConcept(report, concept, { includeGuesses: true }).map((c) => report.latents[c.index]);
  const lines = [formatTable(columns, rows)];
  const t = report.thresholds;
  const evidence = t.minLift === undefined ? '' : `, evidence lift >= ${t.minLift} (${report.namedBeforeEvidence} before the evidence check)`;
  lines.push(
    '',
    `named ${report.named} of ${report.latents.length} latents (mapping ${report.mapping}, z >= ${t.minZ}, margin >= ${t.minMargin}${evidence}; vocabulary ${report.vocabulary.size} concepts${report.centeredVocabulary ? ', centred' : ''})`,
  );
  return lines.join('\n');
}

/** Name the latents of a checkpoint; logs go to `log` (stderr in the CLI). */
export async function runName(opts: NameCommandOptions, log: (m: string) => void = () => undefined): Promise<NameReport> {
  const t0 = performance.now();
  const clip = await import('@msae/io');
  const loaded = (await clip.loadCheckpoint(opts.checkpoint)) as Checkpoint | { checkpoint: Checkpoint };
  // loadCheckpoint returns the checkpoint itself (plus resume state), or wraps it as {checkpoint}
  const { config, params, normalization } = 'checkpoint' in loaded ? loaded.checkpoint : loaded;
  // An unwritable --out must fail before the vocabulary is embedded, not after it.
  if (opts.out) await clip.checkOutputPath(opts.out, { kind: 'directory', createsParents: true });
  const matmul = await createMatmulProvider('auto', { onFallback: (m) => log(`note: ${m}`) });

  const vocabFile = opts.vocab ?? defaultVocabularyPath();
  const embedBar = progressBar('embedding vocabulary', !opts.json);
  let vocabulary: Vocabulary;
  try {
    vocabulary = await loadVocabulary(vocabFile, {
      labels: opts.labels,
      model: opts.model,
      template: opts.template.length === 1 ? opts.template[0] : opts.template,
      batchSize: opts.batchSize,
      cache: opts.cache,
      onProgress: (d, t) => embedBar.update(d, t),
      onLog: log,
    });
  } finally {
    embedBar.stop();
  }
  if (vocabulary.embeddings.cols !== config.dIn) {
    throw new Error(
      `${vocabFile}: vocabulary embeddings are ${vocabulary.embeddings.cols}-d but the checkpoint ${opts.checkpoint} has d_in ${config.dIn} (use the same CLIP model)`,
    );
  }
  const t1 = performance.now();
  const decoder: Matrix = { data: params.W_dec, rows: config.dSae, cols: config.dIn };
  const matchBar = progressBar('matching', !opts.json);
  let naming: NamingResult;
  try {
    naming = await nameLatents({
      decoder,
      vocabulary,
      normalization,
      mapping: opts.mapping,
      centerVocabulary: opts.center,
      top: opts.top,
      thresholds: { minZ: opts.minZ, minMargin: opts.minMargin },
      matmul,
      onProgress: (d, t) => matchBar.update(d, t),
    });
  } finally {
    matchBar.stop();
  }
  const t2 = performance.now();
  log(`matched ${config.dSae} latents against ${vocabulary.labels.length} concepts in ${((t2 - t1) / 1000).toFixed(2)} s: ${naming.named} named`);

  let frequency: Float64Array | undefined;
  const evidence = new Map<number, LatentEvidence>();
  let t3 = t2;
  const namedBeforeEvidence = naming.named;
  // evidence encodes with the checkpoint's own k (every positive code for relu) unless --k is given
  const kEvidence = evidenceK(config, opts.k);
  if (opts.data) {
    const data = await clip.readEmbeddings(opts.data);
    if (data.cols !== config.dIn) throw new Error(`${opts.data}: rows are ${data.cols}-d but the checkpoint has d_in ${config.dIn}`);
    const namedLatents = naming.latents.filter((l) => l.name !== null);
    const encodeBar = progressBar('encoding data', !opts.json);
    let stats: Awaited<ReturnType<typeof activationStatistics>>;
    try {
      stats = await activationStatistics({
        data,
        encoder: { dIn: config.dIn, dSae: config.dSae, architecture: config.architecture, ...params }, // the architecture's gate (jumprelu: log_threshold)
        normalization,
        latents: namedLatents.map((l) => l.index),
        topSamples: opts.topSamples,
        k: kEvidence,
        matmul,
        onProgress: (d, t) => encodeBar.update(d, t),
      });
    } finally {
      encodeBar.stop();
    }
    frequency = stats.frequency;
    const dim = vocabulary.embeddings.cols;
    const conceptRows = namedLatents.map((l) => vocabulary.embeddings.data.subarray(l.candidates[0].entry * dim, (l.candidates[0].entry + 1) * dim));
    for (const e of activationEvidence(stats, data, conceptRows)) evidence.set(e.index, e);
    naming.named = gateByEvidence(naming.latents, evidence, opts.minLift);
    t3 = performance.now();
    log(
      `encoded ${data.rows} samples (k ${kEvidence ?? 'all'}) in ${((t3 - t2) / 1000).toFixed(2)} s: ` +
        `${naming.named} of ${namedBeforeEvidence} named latents supported by the data (lift >= ${opts.minLift})`,
    );
  }

  const latents: NamedLatentRecord[] = naming.latents.map((l) => {
    const rec: NamedLatentRecord = {
      index: l.index,
      name: l.name,
      score: round(l.score),
      margin: round(l.margin),
      z: round(l.z, 3),
      candidates: l.candidates.map((c) => ({ label: c.label, score: round(c.score) })),
    };
    if (frequency) rec.frequency = round(frequency[l.index], 6);
    const e = evidence.get(l.index);
    if (e) {
      rec.evidence = {
        topCosine: round(e.topCosine),
        baselineCosine: round(e.baselineCosine),
        lift: round(e.lift),
        supported: l.name !== null,
        topCount: e.topCount,
        topRows: e.topRows,
      };
    }
    return rec;
  });
  const report: NameReport = {
    latents,
    named: naming.named,
    mapping: naming.mapping,
    thresholds: opts.data ? { ...naming.thresholds, minLift: opts.minLift } : naming.thresholds,
    centeredVocabulary: naming.centeredVocabulary,
    ...(opts.data ? { namedBeforeEvidence } : {}),
    vocabulary: {
      file: vocabFile,
      size: vocabulary.labels.length,
      model: vocabulary.model,
      template: vocabulary.template,
      cacheFile: vocabulary.cacheFile,
    },
    checkpoint: opts.checkpoint,
    ...(opts.data ? { data: opts.data } : {}),
    seconds: {
      vocabulary: round((t1 - t0) / 1000, 3),
      matching: round((t2 - t1) / 1000, 3),
      ...(opts.data ? { evidence: round((t3 - t2) / 1000, 3) } : {}),
      total: round((performance.now() - t0) / 1000, 3),
    },
  };

  if (opts.out) {
    await mkdir(opts.out, { recursive: true }).catch((err: Error) => {
      throw new Error(`${opts.out}: cannot create the output directory (${err.message})`);
    });
    const concepts = Object.fromEntries(
      [...conceptIndex(naming).entries()].map(([concept, ls]) => [concept, ls.map((l) => ({ index: l.index, z: round(l.z, 3), margin: round(l.margin) }))]),
    );
    await writeAtomic(join(opts.out, 'names.json'), `${JSON.stringify(report)}\n`);
    await writeAtomic(join(opts.out, 'concepts.json'), `${JSON.stringify(concepts, null, 1)}\n`);
    await writeAtomic(join(opts.out, 'names.md'), `# Latent names: ${opts.checkpoint}\n\n${formatNameTable(report, 'all')}\n`);
    log(`wrote names.json, concepts.json and names.md to ${opts.out}`);
  }
  return report;
}

/** Adds `name` to the msae-eval program. */
export function registerNameCommand(program: Command): void {
  program
    .command('name')
    .description('name latents by matching decoder directions to a concept vocabulary of CLIP text embeddings, with confidence')
    .requiredOption('--checkpoint <dir>', 'SAE checkpoint directory')
    .option('--vocab <file>', 'vocabulary: .txt (one concept per line, embedded with --model) or .npy/.safetensors embeddings with --labels (default: the shipped English 20k words)')
    .option('--labels <file>', 'labels for precomputed embeddings: .txt (one per line) or .json array')
    .option('--model <id|dir>', 'CLIP text model for a .txt vocabulary (Hugging Face id or local folder)', DEFAULT_TEXT_MODEL)
    .option('--template <text>', `prompt template with {} (repeat to average several; default "${DEFAULT_TEMPLATE}")`, collect)
    .option('--data <file>', 'embeddings (CLIP space) for activation evidence: frequency and top-sample cosine')
    .option('--top <n>', 'candidate concepts listed per latent', positiveInt('--top'), 5)
    .option('--mapping <row|affine>', 'decoder row -> CLIP space: bare row (default) or row / scale + mean (the paper)', (v: string) => {
      if (!DECODER_MAPPINGS.includes(v as DecoderMapping)) throw new InvalidArgumentError(`--mapping must be one of ${DECODER_MAPPINGS.join(', ')}`);
      return v as DecoderMapping;
    }, 'row' as DecoderMapping)
    .option('--min-z <z>', 'z-score a name needs', finiteNumber('--min-z'), DEFAULT_THRESHOLDS.minZ)
    .option('--min-margin <m>', 'best minus second-best cosine a name needs', finiteNumber('--min-margin'), DEFAULT_THRESHOLDS.minMargin)
    .option('--no-center', 'compare with the raw vocabulary embeddings instead of mean-centred ones')
    .option('--min-lift <x>', 'with --data: a name also needs cos(concept, mean top samples) - cos(concept, mean of all samples) >= x', finiteNumber('--min-lift'), 0)
    .option('--top-samples <n>', 'top-activating samples per named latent (with --data)', positiveInt('--top-samples'), 32)
    .option('--k <k>', 'keep each sample\'s top-k codes when encoding --data (default: the checkpoint\'s k; every positive code for relu)', positiveInt('--k'))
    .option('--batch-size <n>', 'texts per forward pass when embedding the vocabulary', positiveInt('--batch-size'))
    .option('--no-cache', 'do not read or write the vocabulary embedding cache')
    .option('--show <named|all>', 'latents in the stdout table', (v: string) => {
      if (v !== 'named' && v !== 'all') throw new InvalidArgumentError('--show must be named or all');
      return v;
    }, 'named')
    .option('--concept <text>', 'show only the latents carrying this concept (named, or as best guess); JSON gets "concept"')
    .option('--json', 'print the result as one JSON object on the last stdout line')
    .option('--out <dir>', 'write names.json, concepts.json and names.md here')
    .action(async (raw: Omit<NameCommandOptions, 'template'> & { template?: string[] }) => {
      const opts: NameCommandOptions = { ...raw, template: raw.template ?? [DEFAULT_TEMPLATE] };
      const log = (m: string) => process.stderr.write(`${m}\n`);
      try {
        const report = await runName(opts, log);
        if (opts.json) {
          const concept =
            opts.concept === undefined ? {} : { concept: { query: opts.concept, latents: latentsForConcept(report, opts.concept, { includeGuesses: true }) } };
          process.stdout.write(`${JSON.stringify({ ...report, ...concept })}\n`);
        } else {
          process.stdout.write(`${formatNameTable(report, opts.show, opts.concept)}\n`);
        }
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`msae-eval name: ${message.split('\n')[0]}\n`);
        process.exitCode = 1;
      }
    });
}
