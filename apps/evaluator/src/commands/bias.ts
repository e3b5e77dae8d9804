/**
 * `msae-eval bias`: which named latents carry the link between a group attribute and a classifier's target
 * (the MSAE paper's CelebA study, for any embeddings + attribute table), and what removing them does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { BiasAnalysisResult } from '@msae/analysis';
import { nonNegativeInt, positiveInt, positiveNumber, nonNegativeNumber, integer } from '@msae/cli-kit';
import { CliError, UsageError, oneLineMessage } from '../cli-error.js';
import { createReporter } from '../progress-reporter.js';
import type { BiasReport } from '../report/bias-report.js';
import { checkClassifier, classIndex, latentName, loadModel, parseCodeK, readClassifier, readLabels, readMatrix, readNaming } from './analysis-inputs.js';

export interface BiasCommandOptions {
  checkpoint?: string;
  data?: string;
  attributes?: string;
  attributesKey?: string;
  ids?: string;
  target?: string;
  group?: string;
  classifier?: string;
  classes?: string;
  targetClass?: string;
  names?: string;
  k?: string;
  alpha: number;
  remove: number;
  top: number;
  l2: number;
  seed: number;
  holdout: number;
  resamples: number;
  renormalize: boolean;
  out?: string;
  json: boolean;
}


export function registerBiasCommand(program: Command): void {
  program
    .command('bias')
    .description('bias analysis: per latent, activation by group and causal effect on a classifier (ablate / amplify), ranked; then remove the top latents')
    .option('--checkpoint <dir>', 'checkpoint directory')
    .option('--data <file>', 'embeddings (original CLIP space), one row per attribute row')
    .option('--attributes <file>', "attribute table: CelebA list_attr_celeba.txt layout, CSV with a header, or a JSON array of labels (column 'label')")
    .option('--attributes-key <key>', 'JSON attributes: key of the labels array (e.g. train in images_sources.json)')
    .option('--ids <file>', 'JSON array of the embeddings\' row ids, checked against the attribute table\'s ids')
    .option('--target <attr>', 'ground-truth target attribute (NAME: values > 0; NAME=VALUE for text columns); optional with --classifier, whose decisions are then the target')
    .option('--group <attr>', 'group attribute (NAME or NAME=VALUE)')
    .option('--classifier <file>', 'classifier instead of a trained probe: zero-shot head .npy (logits 100 cos) or .json')
    .option('--classes <file>', 'class names of --classifier (JSON array)')
    .option('--target-class <name|index>', 'the classifier class that means the target')
    .option('--names <file>', 'naming result (names.json) to show concept names')
    .option('--k <n|all>', "codes from the top-k encode, or 'all' (default: the checkpoint's k)")
    .option('--alpha <x>', 'amplification factor', positiveNumber('--alpha'), 2)
    .option('--remove <m>', 'latents removed by the mitigation', nonNegativeInt('--remove'), 5)
    .option('--top <n>', 'latents listed per ranking', positiveInt('--top'), 20)
    .option('--resamples <n>', 'bootstrap resamples for the 95% intervals', positiveInt('--resamples'), 1000)
    .option('--l2 <x>', 'probe L2 weight', nonNegativeNumber('--l2'), 1e-3)
    .option('--seed <n>', 'probe hold-out split seed', integer('--seed'), 42)
    .option('--holdout <f>', 'probe held-out fraction', nonNegativeNumber('--holdout'), 0.2)
    .option('--renormalize', 'steered embeddings are renormalized to unit norm', false)
    .option('--out <dir>', 'write bias.md, bias.json, bias.svg/.png (and probe.json) there')
    .option('--json', 'print the report as JSON on the last stdout line', false)
    .action(async (opts: BiasCommandOptions) => runBias(opts));
}

async function runBias(opts: BiasCommandOptions): Promise<void> {
  const started = performance.now();
  for (const [name, v] of [['--checkpoint DIR', opts.checkpoint], ['--data FILE', opts.data], ['--attributes FILE', opts.attributes], ['--group ATTR', opts.group]] as const) {
    if (!v) throw new UsageError(`bias: missing ${name}`);
  }
  if (!opts.target && !opts.classifier) throw new UsageError('bias: give --target ATTR (ground truth; a probe is trained on it) or --classifier FILE --target-class NAME (its decisions are studied)');
  if (opts.classifier && opts.targetClass === undefined) throw new UsageError('bias: --classifier needs --target-class NAME|INDEX');
  if (!opts.classifier && opts.targetClass !== undefined) throw new UsageError('bias: --target-class needs --classifier FILE');
  if (opts.holdout >= 1) throw new UsageError(`--holdout must be below 1, got ${opts.holdout}`);
  const reporter = createReporter(opts.json);
  const analysis = await import('@msae/analysis');
  if (opts.out) {
    const { checkOutputPath } = await import('@msae/io');
    await checkOutputPath(opts.out, { kind: 'directory', createsParents: true }).catch((e: unknown) => {
      throw new CliError(`--out ${opts.out}: ${oneLineMessage(e)}`);
    });
  }
  // every input checked before any work
  let text: string;
  try {
    text = await readFile(opts.attributes!, 'utf8');
  } catch (error) {
    throw new CliError(`--attributes ${opts.attributes}: cannot read (${(error as { code?: string }).code ?? oneLineMessage(error)})`);
  }
  const table = opts.attributes!.endsWith('.json') ? await labelTable(opts.attributes!, opts.attributesKey) : analysis.parseAttributeTable(text, opts.attributes);
  const target = opts.target ? analysis.binaryAttribute(table, opts.target!, opts.attributes) : undefined;
  const group = analysis.binaryAttribute(table, opts.group!, opts.attributes);
  const naming = opts.names ? await readNaming(opts.names) : undefined;
  const { model, name, k: checkpointK } = await loadModel(opts.checkpoint!, (m) => reporter.info(m));
  const k = opts.k === undefined ? checkpointK : parseCodeK(opts.k);
  const classifier = opts.classifier ? await readClassifier(opts.classifier, opts.classes) : undefined;
  const targetClass = classifier ? classIndex(classifier, opts.targetClass!, '--target-class') : 1;
  const x = await readMatrix(opts.data!, '--data');
  if (x.cols !== model.dIn) throw new CliError(`${opts.data}: rows have ${x.cols} dimensions but the checkpoint has d_in = ${model.dIn}`);
  if (classifier) checkClassifier(classifier, x.cols, opts.classifier!);
  if (table.ids.length !== x.rows) throw new CliError(`--attributes ${opts.attributes}: ${table.ids.length} rows, but ${opts.data} has ${x.rows} embeddings`);
  if (opts.ids) {
    const ids = await readLabels(opts.ids, undefined, '--ids');
    if (ids.length !== x.rows) throw new CliError(`--ids ${opts.ids}: ${ids.length} ids for ${x.rows} embeddings`);
    const bad = ids.findIndex((id, i) => id !== table.ids[i]);
    if (bad >= 0) throw new CliError(`--attributes ${opts.attributes}: row ${bad + 1} is "${table.ids[bad]}" but embedding ${bad} is "${ids[bad]}"`);
  }

  let phase = '';
  const onProgress = (p: string, done: number, total: number) => {
    if (p !== phase) {
      if (phase) reporter.finish();
      phase = p;
      reporter.start(
        p === 'encode' ? `encoding ${x.rows} rows (${model.dSae} latents)` : p === 'effects' ? 'ablate / amplify effects of every latent on P(target)' : 'intervals of the top latents\' effects',
      );
    }
    reporter.update(done, total);
  };
  const result = await analysis.analyzeBias({
      model,
      x,
      target: target?.values,
      group: group.values,
      groupLabel: group.name,
      classifier: classifier ? { classifier, targetClass } : undefined,
      probe: { l2: opts.l2, seed: opts.seed, holdout: opts.holdout },
      k,
      alpha: opts.alpha,
      remove: opts.remove,
      top: opts.top,
      renormalize: opts.renormalize,
      resamples: opts.resamples,
      onProgress,
    });
  reporter.finish();
  const shown = new Set([...result.byGroupGap.map((l) => l.latent), ...result.byCausalEffect.map((l) => l.latent), ...result.removed, ...result.counterfactual.latents]);
  const names: Record<number, string> = {};
  for (const j of shown) {
    const n = latentName(naming, j);
    if (n) names[j] = n;
  }
  const { classifier: usedClassifier, probe, ...rest } = result;
  const report: BiasReport = {
    checkpoint: name,
    data: opts.data!,
    attributes: opts.attributes!,
    target: target?.name ?? null,
    targetDescription: classifier ? `"${usedClassifier.classes?.[targetClass] ?? targetClass}" decisions` : `${target!.name} (probe)`,
    group: group.name,
    resamples: opts.resamples,
    groupLabel: group.name,
    classifier: opts.classifier ?? 'logistic probe',
    targetClassName: usedClassifier.classes?.[targetClass] ?? String(targetClass),
    probe: probe
      ? { l2: opts.l2, seed: opts.seed, heldOutAccuracy: probe.heldOutAccuracy, trainAccuracy: probe.trainAccuracy, heldOutRows: probe.heldOutRows, trainRows: probe.trainRows, iterations: probe.iterations }
      : undefined,
    names,
    result: rest,
    seconds: (performance.now() - started) / 1000,
  };
  let written: string[] = [];
  if (opts.out) written = await writeBiasReport(opts.out, report, probe ? usedClassifier : undefined);
  if (opts.json) process.stdout.write(`${JSON.stringify({ ...report, ...(opts.out ? { files: written } : {}) })}\n`);
  else {
    const { biasMarkdown } = await import('../report/bias-report.js');
    process.stdout.write(`${biasMarkdown(report, null)}\n`);
    if (written.length) process.stdout.write(`wrote ${written.join(', ')}\n`);
  }
}

/** A JSON labels file as a one-column attribute table ('label'). */
async function labelTable(path: string, key: string | undefined): Promise<import('@msae/analysis').AttributeTable> {
  const labels = await readLabels(path, key, '--attributes');
  return { ids: labels.map((_, i) => String(i)), names: ['label'], columns: new Map([['label', labels]]) };
}

async function writeBiasReport(dir: string, report: BiasReport, probe?: BiasAnalysisResult['classifier']): Promise<string[]> {
  const { mkdir } = await import('node:fs/promises');
  const { writeFilesAtomic } = await import('@msae/io');
  const { renderSvg, svgToPng } = await import('../report/pareto-plot.js');
  const { biasMarkdown, biasSpec } = await import('../report/bias-report.js');
  const utf8 = (t: string) => new TextEncoder().encode(t);
  const svg = await renderSvg(biasSpec(report));
  const png = await svgToPng(svg).catch(() => null);
  await mkdir(dir, { recursive: true }).catch((err: unknown) => {
    throw new CliError(`--out ${dir}: cannot create the directory (${(err as { code?: string }).code ?? String(err)})`);
  });
  const files = [
    { path: join(dir, 'bias.json'), parts: [utf8(`${JSON.stringify(report, null, 1)}\n`)] },
    { path: join(dir, 'bias.svg'), parts: [utf8(svg)] },
    ...(png ? [{ path: join(dir, 'bias.png'), parts: [png] }] : []),
    ...(probe
      ? [
          {
            path: join(dir, 'probe.json'),
            parts: [
              utf8(
                `${JSON.stringify({
                  kind: 'linear',
                  classes: probe.classes,
                  bias: Array.from(probe.bias ?? []),
                  weights: [0, 1].map((r) => Array.from(probe.weights.data.subarray(r * probe.weights.cols, (r + 1) * probe.weights.cols))),
                })}\n`,
              ),
            ],
          },
        ]
      : []),
    { path: join(dir, 'bias.md'), parts: [utf8(biasMarkdown(report, png ? 'bias.png' : 'bias.svg'))] },
  ];
  await writeFilesAtomic(files);
  return files.map((f) => f.path);
}
