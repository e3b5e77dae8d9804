/** `msae-eval --classifier FILE [--classes FILE] [--classifier-labels FILE]`: load and check, before any evaluation. */
import type { LinearClassifier } from '@msae/analysis';
import { CliError, oneLineMessage } from '../cli-error.js';
import { checkClassifier, readClassifier, readLabels } from './analysis-inputs.js';

export interface DownstreamCliOptions {
  classifier?: string;
  classes?: string;
  classifierLabels?: string;
  data?: string;
}

/** The classifier and optional per-row class labels (indices, or names of --classes), checked against the data. */
export async function loadDownstream(opts: DownstreamCliOptions): Promise<{ classifier: LinearClassifier; labels?: Int32Array } | undefined> {
  if (!opts.classifier) {
    if (opts.classifierLabels || opts.classes) throw new CliError('--classifier-labels and --classes need --classifier FILE', 2);
    return undefined;
  }
  const classifier = await readClassifier(opts.classifier, opts.classes);
  const { openEmbeddingStream } = await import('@msae/io');
  const stream = await openEmbeddingStream(opts.data!).catch((e: unknown) => {
    throw new CliError(`${opts.data}: ${oneLineMessage(e)}`);
  });
  const { rows, cols } = stream;
  await stream.close();
  checkClassifier(classifier, cols, opts.classifier);
  if (!opts.classifierLabels) return { classifier };
  const raw = await readLabels(opts.classifierLabels, undefined, '--classifier-labels');
  if (raw.length !== rows) throw new CliError(`--classifier-labels ${opts.classifierLabels}: ${raw.length} labels for ${rows} rows of ${opts.data}`);
  const byName = new Map((classifier.classes ?? []).map((c, i) => [c, i]));
  const labels = Int32Array.from(raw, (v, i) => {
    const n = /^-?\d+$/.test(v) ? Number(v) : byName.get(v);
    if (n === undefined || n >= classifier.weights.rows) {
      throw new CliError(`--classifier-labels ${opts.classifierLabels}: row ${i} label "${v}" is not a class of the classifier${classifier.classes ? '' : ' (give --classes FILE for names)'}`);
    }
    return n;
  });
  return { classifier, labels };
}
