import type { Matrix } from '@msae/core';
import { causalEffects, targetProbability } from './causal-effects.js';
import { AnalysisError, ShapeMismatchError } from './errors.js';
import { groupActivation } from './group-statistics.js';
import { argmaxRows, checkClassifierWidth, classifierLogits, type LinearClassifier } from './linear-classifier.js';
import { trainLogisticProbe, type ProbeOptions, type ProbeResult } from './logistic-probe.js';
import { encodeRows, type SaeModel } from './sae-model.js';
import { steer } from './steer.js';

export interface BiasAnalysisInput {
  model: SaeModel;
  /** Embeddings in the original space [rows, dIn]. */
  x: Matrix;
  /** Target attribute per row (0/1): what the classifier predicts. */
  target: Uint8Array;
  /** Group attribute per row (0/1). */
  group: Uint8Array;
  /** A given classifier and the class that means "target" (default: a probe is trained). */
  classifier?: { classifier: LinearClassifier; targetClass: number };
  probe?: ProbeOptions;
  /** Codes from the top-k encode (undefined: every positive code). */
  k?: number;
  /** Amplification factor (default 2). */
  alpha?: number;
  /** Latents removed by the mitigation (default 5). */
  remove?: number;
  /** Latents listed in `ranked` (default 50). */
  top?: number;
  renormalize?: boolean;
  /** Progress of the slow phases: 'encode', 'effects' (rows done, rows). */
  onProgress?: (phase: 'encode' | 'effects', done: number, total: number) => void;
}

/** One latent's activation by group and its causal effect on P(target) by group. */
export interface LatentBias {
  latent: number;
  mean1: number;
  mean0: number;
  rate1: number;
  rate0: number;
  standardizedDifference: number;
  /** mean change of P(target) when ablated (z = 0), in group 1 and group 0 */
  ablate1: number;
  ablate0: number;
  /** ... when amplified (z * alpha) */
  amplify1: number;
  amplify0: number;
  /** |gap| - |gap after ablating this latent|, gap = mean P(target) in group 1 - group 0 */
  gapReduction: number;
  /** max |mean change| over the two groups and the two interventions */
  effect: number;
}

/** Accuracy against the target attribute and positive (predicted target) rate per group. */
export interface Outcome {
  accuracy: number;
  positiveRate1: number;
  positiveRate0: number;
  /** positiveRate1 - positiveRate0 */
  gap: number;
  meanProbability1: number;
  meanProbability0: number;
}

export interface BiasAnalysisResult {
  rows: number;
  rows1: number;
  rows0: number;
  probe?: Omit<ProbeResult, 'classifier' | 'w'>;
  classifier: LinearClassifier;
  targetClass: number;
  alpha: number;
  k: number | null;
  /** Latents ranked by gapReduction (largest first), the first `top`. */
  ranked: LatentBias[];
  /** Latent indices ranked by effect (largest first), the first `top`. */
  byEffect: number[];
  /** Latent indices ranked by |standardized difference| of activation (largest first), the first `top`. */
  byActivationGap: number[];
  before: Outcome;
  after: Outcome;
  removed: number[];
}

/**
 * The CelebA study generalized: which latents carry the link between a group attribute and a classifier's
 * target, measured by activation per group and by intervention (ablate / amplify through steering), and
 * what removing the top ones does to accuracy and to the gap between the groups' positive rates.
 */
export async function analyzeBias(input: BiasAnalysisInput): Promise<BiasAnalysisResult> {
  const { model, x, target, group } = input;
  if (target.length !== x.rows) throw new ShapeMismatchError(`target attribute has ${target.length} rows but the embeddings have ${x.rows}`);
  if (group.length !== x.rows) throw new ShapeMismatchError(`group attribute has ${group.length} rows but the embeddings have ${x.rows}`);
  let classifier: LinearClassifier;
  let targetClass: number;
  let probe: BiasAnalysisResult['probe'];
  if (input.classifier) {
    classifier = input.classifier.classifier;
    targetClass = input.classifier.targetClass;
    checkClassifierWidth(classifier, x.cols);
    if (!(targetClass >= 0 && targetClass < classifier.weights.rows)) throw new AnalysisError(`target class ${targetClass} is outside 0..${classifier.weights.rows - 1}`);
  } else {
    const trained = trainLogisticProbe(x, target, input.probe);
    classifier = trained.classifier;
    targetClass = 1;
    const { classifier: _c, w: _w, ...rest } = trained;
    probe = rest;
  }
  input.onProgress?.('encode', 0, x.rows);
  const codes = await encodeRows(model, x, { k: input.k });
  input.onProgress?.('encode', x.rows, x.rows);
  const stats = groupActivation(codes, group);
  if (stats.rows1 === 0 || stats.rows0 === 0) throw new AnalysisError(`the group attribute must have rows in both groups (has ${stats.rows1} and ${stats.rows0})`);
  const effects = await causalEffects(model, x, codes, group, classifier, {
    target: targetClass,
    alpha: input.alpha,
    renormalize: input.renormalize,
    onProgress: (done, total) => input.onProgress?.('effects', done, total),
  });
  const before = outcome(effects.baseProbability, await predictions(classifier, x, targetClass, model), target, group);
  const gap = before.meanProbability1 - before.meanProbability0;
  const latents: LatentBias[] = [];
  for (let j = 0; j < model.dSae; j++) {
    const a1 = effects.ablate1[j];
    const a0 = effects.ablate0[j];
    latents.push({
      latent: j,
      mean1: stats.mean1[j],
      mean0: stats.mean0[j],
      rate1: stats.rate1[j],
      rate0: stats.rate0[j],
      standardizedDifference: stats.standardizedDifference[j],
      ablate1: a1,
      ablate0: a0,
      amplify1: effects.amplify1[j],
      amplify0: effects.amplify0[j],
      gapReduction: Math.abs(gap) - Math.abs(gap + a1 - a0), // |gap| - |gap'|, gap' = gap + dP1 - dP0
      effect: Math.max(Math.abs(a1), Math.abs(a0), Math.abs(effects.amplify1[j]), Math.abs(effects.amplify0[j])),
    });
  }
  const top = input.top ?? 50;
  const ranked = latents.slice().sort((a, b) => b.gapReduction - a.gapReduction || a.latent - b.latent);
  const byEffect = latents.slice().sort((a, b) => b.effect - a.effect || a.latent - b.latent).slice(0, top).map((l) => l.latent);
  const byActivationGap = latents
    .slice()
    .sort((a, b) => Math.abs(b.standardizedDifference) - Math.abs(a.standardizedDifference) || a.latent - b.latent)
    .slice(0, top)
    .map((l) => l.latent);
  const removed = ranked.filter((l) => l.gapReduction > 0).slice(0, input.remove ?? 5).map((l) => l.latent);
  const mitigated = await steer(model, x, removed.map((latent) => ({ latent, op: 'set' as const, value: 0 })), { codes, renormalize: input.renormalize });
  const pAfter = await targetProbability(classifier, mitigated, targetClass, model.matmul);
  const after = outcome(pAfter, await predictions(classifier, mitigated, targetClass, model), target, group);
  return {
    rows: x.rows,
    rows1: stats.rows1,
    rows0: stats.rows0,
    probe,
    classifier,
    targetClass,
    alpha: effects.alpha,
    k: input.k ?? null,
    ranked: ranked.slice(0, top),
    byEffect,
    byActivationGap,
    before,
    after,
    removed,
  };
}

/** 1 where the classifier's top class is the target. */
async function predictions(classifier: LinearClassifier, x: Matrix, targetClass: number, model: SaeModel): Promise<Uint8Array> {
  const top = argmaxRows(await classifierLogits(classifier, x, model.matmul), classifier.weights.rows);
  return Uint8Array.from(top, (c) => (c === targetClass ? 1 : 0));
}

function outcome(p: Float64Array, predicted: Uint8Array, target: Uint8Array, group: Uint8Array): Outcome {
  const pos = [0, 0];
  const n = [0, 0];
  const prob = [0, 0];
  let right = 0;
  for (let r = 0; r < p.length; r++) {
    const g = group[r] ? 1 : 0;
    n[g]++;
    pos[g] += predicted[r];
    prob[g] += p[r];
    if (predicted[r] === target[r]) right++;
  }
  const rate1 = pos[1] / Math.max(1, n[1]);
  const rate0 = pos[0] / Math.max(1, n[0]);
  return {
    accuracy: right / Math.max(1, p.length),
    positiveRate1: rate1,
    positiveRate0: rate0,
    gap: rate1 - rate0,
    meanProbability1: prob[1] / Math.max(1, n[1]),
    meanProbability0: prob[0] / Math.max(1, n[0]),
  };
}
