/**
 * `msae-eval steer`: edit SAE codes of embeddings (per latent or per concept, in the units the data defines) and
 * report what the edit did: range warnings, per-query effects, and for an ablation how much of the concept is left.
 */
import type { Command } from 'commander';
import type { LatentEdit, LinearClassifier } from '@msae/analysis';
import type { Matrix } from '@msae/core';
import { floatParser, positiveInt } from '@msae/cli-kit';
import { CliError, UsageError } from '../cli-error.js';
import { createReporter } from '../progress-reporter.js';
import { steerTable, type SteerSummary } from '../report/steer-report.js';
import { checkClassifier, checkModelWidth, latentName, loadModel, parseCodeK, parseRowList, pickRows, readClassifier, readConceptVocabulary, readLabels, readMatrix, readNaming } from './analysis-inputs.js';
import { conceptMapper } from './concept-mapping.js';

export interface SteerCommandOptions {
  checkpoint?: string;
  data?: string;
  edit?: string[];
  names?: string;
  vocab?: string;
  vocabLabels?: string;
  align: number;
  reference?: string;
  rows?: string;
  show: number;
  concept?: string;
  classifier?: string;
  classes?: string;
  collection?: string;
  neighbours: number;
  labels?: string;
  labelsKey?: string;
  k?: string;
  renormalize: boolean;
  out?: string;
  json: boolean;
}

export type { SteerSummary } from '../report/steer-report.js';

const collect = (v: string, previous: string[] | undefined) => [...(previous ?? []), v];

export function registerSteerCommand(program: Command): void {
  program
    .command('steer')
    .description("steer embeddings through the SAE (z = encode(x), edit z, x' = x + decode(z') - decode(z)) and report the effect per query")
    .option('--checkpoint <dir>', 'checkpoint directory')
    .option('--data <file>', 'embeddings to steer (original CLIP space)')
    .option('--edit <edit>', 'LATENT=V (set), LATENT=*X (scale), LATENT=+X (add); V/X in code units or data units: 2typ (x median activation), 1max (x largest seen), p90 (percentile); =0 ablates; LATENT an index or a concept (repeatable)', collect)
    .option('--names <file>', 'naming result: names.json of msae-eval name --out DIR (or that directory)')
    .option('--vocab <file>', 'concept text embeddings (.npy): a concept also maps to latents whose decoder aligns with its text direction, and its text similarity is reported')
    .option('--vocab-labels <file>', 'labels of --vocab rows (.json array or .txt)')
    .option('--align <cos>', 'decoder-text alignment a latent needs to carry a concept (with --vocab)', floatParser('--align', { min: -1, max: 1 }), 0.2)
    .option('--reference <file>', 'embeddings that define each latent\'s activation scale (default: --data)')
    .option('--rows <list>', 'steer only these rows of --data (e.g. 3,17,40)')
    .option('--show <n>', 'queries in the per-query table', positiveInt('--show'), 5)
    .option('--concept <name>', 'concept whose text similarity is reported (default: the first concept edited; needs --vocab)')
    .option('--classifier <file>', 'report the top-1 class before/after: zero-shot head .npy or classifier .json')
    .option('--classes <file>', 'class names of --classifier (JSON array)')
    .option('--collection <file>', 'neighbours before/after are searched here (default: --reference, else --data)')
    .option('--neighbours <n>', 'neighbours per query', positiveInt('--neighbours'), 5)
    .option('--labels <file>', 'JSON labels of the collection rows, shown with the neighbours')
    .option('--labels-key <key>', 'key of the labels array inside --labels')
    .option('--k <n|all>', "codes from the top-k encode, or 'all' positive codes (default: the checkpoint's k)")
    .option('--renormalize', 'rescale steered rows to unit norm', false)
    .option('--out <file>', 'write the steered embeddings (.npy, .safetensors)')
    .option('--json', 'print a JSON summary as the last stdout line', false)
    .action(async (opts: SteerCommandOptions) => runSteer(opts));
}

async function runSteer(opts: SteerCommandOptions): Promise<void> {
  if (!opts.checkpoint) throw new UsageError('steer: missing --checkpoint DIR');
  if (!opts.data) throw new UsageError('steer: missing --data FILE');
  const reporter = createReporter(opts.json);
  const analysis = await import('@msae/analysis');
  const { checkOutputPath, writeEmbeddings } = await import('@msae/io');
  const edits = (opts.edit ?? []).map(analysis.parseEdit);
  const naming = opts.names ? await readNaming(opts.names) : undefined;
  const vocabulary = opts.vocab ? await readConceptVocabulary(opts.vocab, opts.vocabLabels) : undefined;
  const { model, name, k: checkpointK } = await loadModel(opts.checkpoint, (m) => reporter.info(m));
  const k = opts.k === undefined ? checkpointK : parseCodeK(opts.k);
  if (opts.out) {
    await checkOutputPath(opts.out, { kind: 'file', createsParents: false }).catch((e: unknown) => {
      throw new CliError(`--out ${opts.out}: ${(e as Error).message}`);
    });
  }
  const all = await readMatrix(opts.data, '--data');
  checkModelWidth(model, all, opts.data);
  const rows = opts.rows ? parseRowList(opts.rows, all.rows, '--rows') : undefined;
  const x = rows ? pickRows(all, rows) : all;
  const reference = opts.reference ? await readMatrix(opts.reference, '--reference') : all;
  checkModelWidth(model, reference, opts.reference ?? opts.data);
  const classifier = opts.classifier ? await readClassifier(opts.classifier, opts.classes) : undefined;
  if (classifier) checkClassifier(classifier, x.cols, opts.classifier!);

  reporter.start(`encoding ${reference.rows} reference rows (activation scales)`);
  const referenceCodes = await analysis.encodeRows(model, reference, { k });
  reporter.finish();
  const scales = analysis.latentScales(referenceCodes);
  const mapper = await conceptMapper(model, naming, vocabulary, opts.align);
  let latentEdits: LatentEdit[];
  try {
    latentEdits = analysis.resolveEdits(edits, model.dSae, naming, { scales, conceptLatents: mapper.latentsOf });
  } catch (error) {
    throw new CliError(`--edit: ${(error as Error).message}${opts.names ? ` (${opts.names})` : ''}`);
  }
  const codes = !rows && reference === all ? referenceCodes : await analysis.encodeRows(model, x, { k });
  reporter.start(`steering ${x.rows} rows (${latentEdits.length} latent edits)`);
  const steered = await analysis.steer(model, x, latentEdits, { codes, renormalize: opts.renormalize });
  reporter.finish();
  const ranges = analysis.steeringRange(codes, latentEdits, scales);
  const warnings = analysis.rangeWarnings(ranges, x.rows);
  for (const w of warnings) reporter.info(`warning: ${w}`);

  const concept = opts.concept ?? latentEdits.find((e) => e.concept)?.concept;
  const direction = concept ? mapper.directionOf(concept) : undefined;
  if (opts.concept && !direction) throw new CliError(`--concept "${opts.concept}": ${vocabulary ? `not in --vocab ${opts.vocab}` : 'needs --vocab FILE'}`);
  const collectionPath = opts.collection ?? opts.reference ?? opts.data;
  const collection = opts.collection ? await readMatrix(opts.collection, '--collection') : reference;
  const labels = opts.labels ? await readLabels(opts.labels, opts.labelsKey, '--labels') : undefined;
  if (labels && labels.length !== collection.rows) throw new CliError(`--labels ${opts.labels}: ${labels.length} labels for ${collection.rows} rows of ${collectionPath}`);
  const selfRows = collectionPath === opts.data ? (rows ?? Array.from({ length: x.rows }, (_, r) => r)) : undefined;
  reporter.start(`effects of the edit on ${x.rows} rows`);
  const effects = await analysis.steeringEffects({ x, steered, direction, classifier, collection, neighbours: opts.neighbours, selfRows, matmul: model.matmul });
  reporter.finish();
  const residue = direction && concept ? await ablationResidue(analysis, x, steered, latentEdits, concept, direction, reference, classifier, model.matmul) : undefined;
  if (opts.out) await writeEmbeddings(opts.out!, steered);

  const className = (c: number | undefined) => (c === undefined ? undefined : (classifier?.classes?.[c] ?? String(c)));
  const neighbourClasses = classifier ? await classesOf(analysis, classifier, collection, effects.flatMap((e) => [...(e.neighboursBefore ?? []), ...(e.neighboursAfter ?? [])]), model.matmul) : undefined;
  const describe = (r: number) => [labels?.[r], neighbourClasses?.get(r)].filter((v) => v !== undefined).join('/');
  const summary: SteerSummary = {
    checkpoint: name,
    data: opts.data,
    out: opts.out ?? null,
    rows: x.rows,
    k: k ?? null,
    renormalize: opts.renormalize,
    reference: opts.reference ?? opts.data,
    concept: concept ?? null,
    edits: latentEdits.map((e) => {
      const range = ranges.find((r) => r.latent === e.latent)!;
      const carrier = e.concept ? mapper.sets.get(e.concept)?.carriers.find((c) => c.latent === e.latent) : undefined;
      return {
        latent: e.latent,
        concept: e.concept ?? null,
        name: latentName(naming, e.latent),
        carries: carrier ? (carrier.named ? 'named' : `aligned ${carrier.alignment.toFixed(2)}`) : e.concept ? 'named' : null,
        op: e.op,
        given: e.strength ? `${e.strength.unit === 'quantile' ? `p${+(100 * e.strength.amount).toFixed(2)}` : `${e.strength.amount}${e.strength.unit === 'typical' ? 'typ' : 'max'}`}` : String(e.value),
        value: e.value,
        typical: range.typical,
        observedMax: range.observedMax,
        activeRows: range.activeRows,
        outOfRange: range.aboveMax + range.belowZero,
      };
    }),
    conceptMappings: [...mapper.sets.values()].map((s) => ({ concept: s.concept, threshold: s.threshold, named: s.carriers.filter((c) => c.named).length, aligned: s.carriers.filter((c) => !c.named).length })),
    warnings,
    meanShift: steered.shift.reduce((s, v) => s + v, 0) / Math.max(1, x.rows),
    meanCosine: effects.reduce((s, e) => s + e.cosine, 0) / Math.max(1, x.rows),
    classChanged: classifier ? effects.filter((e) => e.classBefore !== e.classAfter).length : null,
    queries: effects.map((e, i) => ({
      row: rows ? rows[i] : i,
      cosine: e.cosine,
      conceptBefore: e.conceptBefore ?? null,
      conceptAfter: e.conceptAfter ?? null,
      classBefore: className(e.classBefore) ?? null,
      classAfter: className(e.classAfter) ?? null,
      probabilityBefore: e.probabilityBefore ?? null,
      probabilityAfter: e.probabilityAfter ?? null,
      neighboursBefore: (e.neighboursBefore ?? []).map((r) => ({ row: r, about: describe(r) })),
      neighboursAfter: (e.neighboursAfter ?? []).map((r) => ({ row: r, about: describe(r) })),
      neighboursKept: e.neighboursKept ?? null,
    })),
    residue: residue ?? null,
  };
  if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stdout.write(`${steerTable(summary, opts.show)}\n`);
}

type Analysis = typeof import('@msae/analysis');

/** For an ablation (every edit sets 0) of a concept: how much of its text similarity is left over the changed rows. */
async function ablationResidue(
  analysis: Analysis,
  x: Matrix,
  steered: Awaited<ReturnType<Analysis['steer']>>,
  edits: LatentEdit[],
  concept: string,
  direction: Float32Array,
  reference: Matrix,
  classifier: LinearClassifier | undefined,
  matmul: import('@msae/core').MatmulABt,
): Promise<SteerSummary['residue'] | undefined> {
  if (edits.length === 0 || !edits.every((e) => e.op === 'set' && e.value === 0)) return undefined;
  const changed = Array.from(steered.shift.keys()).filter((r) => steered.shift[r] > 0);
  if (changed.length === 0) return undefined;
  const scores = analysis.conceptScores(reference, direction);
  const baseline = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
  const { pickRows } = await import('./analysis-inputs.js');
  const before = pickRows(x, changed);
  const after = pickRows(steered, changed);
  let classified: { before: number; after: number } | undefined;
  const cls = classifier?.classes?.findIndex((c) => c.toLowerCase() === concept.toLowerCase()) ?? -1;
  if (classifier && cls >= 0) {
    const top = async (m: Matrix) => analysis.argmaxRows(await analysis.classifierLogits(classifier, m, matmul), classifier.weights.rows);
    const b = await top(before);
    const a = await top(after);
    const was = b.map((c) => (c === cls ? 1 : 0));
    classified = { before: was.reduce((s, v) => s + v, 0), after: Array.from(a).filter((c, i) => was[i] && c === cls).length };
  }
  const r = analysis.conceptResidue({ x: before, steered: after, direction, baseline, classified });
  return { ...r, verdict: analysis.residueVerdict(concept, r) };
}

async function classesOf(analysis: Analysis, classifier: LinearClassifier, collection: Matrix, rows: number[], matmul: import('@msae/core').MatmulABt): Promise<Map<number, string>> {
  const unique = [...new Set(rows)];
  if (unique.length === 0) return new Map();
  const { pickRows } = await import('./analysis-inputs.js');
  const top = analysis.argmaxRows(await analysis.classifierLogits(classifier, pickRows(collection, unique), matmul), classifier.weights.rows);
  return new Map(unique.map((r, i) => [r, classifier.classes?.[top[i]] ?? String(top[i])]));
}
