/**
 * Downstream preservation (`msae-eval --classifier FILE`): per k, does a classifier still say the same thing
 * on the reconstruction? top-1 agreement classifier(x) vs classifier(x^), mean KL(p(x) || p(x^)) and, with
 * labels, accuracy on x and on x^. One streamed pass per checkpoint through the engine.
 */
import type { SaeEngine, Normalization } from '@msae/core';
import type { EmbeddingStream } from '@msae/io';
import type { DownstreamRecord, LinearClassifier, MatmulABt } from '@msae/analysis';

/** The columns --classifier adds to a result record. */
export interface DownstreamFields {
  agreement: number;
  kl: number;
  accuracy?: number;
  accuracyReconstructed?: number;
}

export interface DownstreamPassOptions {
  engine: SaeEngine;
  stream: EmbeddingStream;
  normalization: Normalization;
  ks: number[];
  classifier: LinearClassifier;
  /** Class index per row (-1: unknown). */
  labels?: Int32Array;
  batchSize: number;
  matmul: MatmulABt;
  onProgress?: (done: number, total: number) => void;
}

/** Per k (same order as ks): agreement, KL and accuracies. */
export async function downstreamPass(options: DownstreamPassOptions): Promise<DownstreamRecord[]> {
  const { DownstreamAccumulator, classifierLogits } = await import('@msae/analysis');
  const { normalize } = await import('@msae/core');
  const { denormalizeInPlace } = await import('@msae/core/internal');
  const { engine, stream, normalization, ks, classifier, labels, matmul } = options;
  const C = classifier.weights.rows;
  const acc = ks.map(() => new DownstreamAccumulator(C));
  let done = 0;
  for await (const batch of stream.batches({ batchSize: options.batchSize })) {
    const rows = batch.rows;
    const logitsX = await classifierLogits(classifier, batch, matmul);
    const xn = normalize(batch.data, normalization);
    const batchLabels = labels?.subarray(batch.start, batch.start + rows);
    for (let i = 0; i < ks.length; i++) {
      const codes = await engine.encode(xn, rows, Number.isFinite(ks[i]) ? ks[i] : undefined);
      const recon = denormalizeInPlace(await engine.decode(codes, rows), normalization); // x^ = x^_n / s + mean
      acc[i].add(logitsX, await classifierLogits(classifier, { data: recon, rows, cols: batch.cols }, matmul), batchLabels);
    }
    done += rows;
    options.onProgress?.(done, stream.rows);
  }
  return acc.map((a) => a.result());
}
