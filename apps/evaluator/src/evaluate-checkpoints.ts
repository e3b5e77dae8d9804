import { isIoError, openEmbeddingStream, type EmbeddingStream } from '@msae/io';
import { createEngine } from '@msae/engines';
import { evaluateSaeStream, progressiveKs } from '@msae/metrics';
import { openCheckpoint, uniqueNames, type LoadedCheckpoint } from './checkpoint-source.js';
import { CliError, oneLineMessage } from './cli-error.js';
import type { ProgressReporter } from './progress-reporter.js';
import type { ResultRecord } from './results-table.js';

export interface EvaluateOptions {
  /** Checkpoint directories (one, or several for --compare). */
  checkpoints: string[];
  /** Embedding file (any format @msae/io reads), in the original CLIP space. */
  data: string;
  /** Budgets; default progressiveKs(d_sae) per checkpoint. Infinity = every positive code. */
  ks?: number[];
  cknnaRows: number;
  batchSize: number;
  backend: string;
  /** --classifier: downstream agreement / KL (and accuracy with labels) per k. */
  downstream?: { classifier: import('@msae/analysis').LinearClassifier; labels?: Int32Array };
}

export interface CheckpointSummary {
  name: string;
  dir: string;
  architecture: string;
  dIn: number;
  dSae: number;
  k: number;
  weighting: string;
  seconds: number;
}

export interface EvaluationResult {
  data: string;
  rows: number;
  engine: string;
  checkpoints: CheckpointSummary[];
  /** Records grouped by checkpoint (argument order), k ascending within each. */
  results: ResultRecord[];
  seconds: number;
}

/**
 * Progressive-k evaluation of each checkpoint on the data file, streamed in batches (bounded memory: one batch
 * plus the CKNNA rows). Every checkpoint must have d_in equal to the data's width.
 */
export async function evaluateCheckpoints(options: EvaluateOptions, reporter: ProgressReporter): Promise<EvaluationResult> {
  const started = performance.now();
  const loaded: LoadedCheckpoint[] = [];
  for (const dir of options.checkpoints) loaded.push(await openCheckpoint(dir));
  uniqueNames(loaded);
  const stream = await openData(options.data);
  try {
    for (const c of loaded) {
      if (c.checkpoint.config.dIn !== stream.cols) {
        throw new CliError(`${options.data}: rows have ${stream.cols} dimensions but checkpoint ${c.dir} has d_in = ${c.checkpoint.config.dIn}`);
      }
    }
    if (stream.rows === 0) throw new CliError(`${options.data}: no rows`);
    const compare = loaded.length > 1;
    const results: ResultRecord[] = [];
    const summaries: CheckpointSummary[] = [];
    let engineName = '';
    for (const c of loaded) {
      const t0 = performance.now();
      const { config, params, normalization } = c.checkpoint;
      const engine = await createEngine(options.backend, { config, onFallback: (m) => reporter.info(m) });
      engineName = engine.name;
      try {
        await engine.load({ config, params });
        const ks = options.ks ?? progressiveKs(config.dSae);
        const over = ks.filter((k) => Number.isFinite(k) && k > config.dSae);
        if (over.length > 0) {
          reporter.info(
            `note: ${c.name} has d_sae = ${config.dSae}; k ${over.join(', ')} ${over.length > 1 ? 'exceed' : 'exceeds'} it and ${over.length > 1 ? 'are' : 'is'} evaluated as k = ${config.dSae} (every latent may fire)`,
          );
        }
        reporter.start(`${c.name} (${config.architecture}, ${config.dIn}->${config.dSae}, ${ks.length} k values, ${stream.rows} rows, ${engine.name})`);
        const records = await evaluateSaeStream({
          engine,
          batches: stream.batches({ batchSize: options.batchSize }),
          totalRows: stream.rows,
          normalization,
          ks,
          cknnaRows: options.cknnaRows,
          onProgress: (done, total) => reporter.update(done, total),
        });
        reporter.finish();
        if (options.downstream) {
          const { downstreamPass } = await import('./downstream-pass.js');
          const { cliMatmul } = await import('./commands/analysis-inputs.js');
          reporter.start(`${c.name}: downstream agreement under the classifier (${ks.length} k values)`);
          const downstream = await downstreamPass({
            engine,
            stream,
            normalization,
            ks,
            classifier: options.downstream.classifier,
            labels: options.downstream.labels,
            batchSize: options.batchSize,
            matmul: await cliMatmul((m) => reporter.info(m)),
            onProgress: (done, total) => reporter.update(done, total),
          });
          reporter.finish();
          records.forEach((r, i) => {
            const { rows: _rows, ...fields } = downstream[i];
            Object.assign(r, fields);
          });
        }
        for (const r of records) results.push(compare ? { checkpoint: c.name, ...r } : r);
      } finally {
        await engine.dispose();
      }
      summaries.push({
        name: c.name,
        dir: c.dir,
        architecture: config.architecture,
        dIn: config.dIn,
        dSae: config.dSae,
        k: config.k,
        weighting: config.weighting,
        seconds: (performance.now() - t0) / 1000,
      });
    }
    return { data: options.data, rows: stream.rows, engine: engineName, checkpoints: summaries, results, seconds: (performance.now() - started) / 1000 };
  } finally {
    await stream.close();
  }
}

async function openData(path: string): Promise<EmbeddingStream> {
  try {
    return await openEmbeddingStream(path);
  } catch (error) {
    if (isIoError(error)) throw error; // already one line naming the file
    throw new CliError(`${path}: ${oneLineMessage(error)}`);
  }
}
