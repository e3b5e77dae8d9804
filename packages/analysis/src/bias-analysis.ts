import type { Matrix } from '@msae/core';
import { bootstrapIntervals, type Interval } from './bootstrap.js';
import { causalEffects } from './causal-effects.js';
import { AnalysisError, ShapeMismatchError } from './errors.js';
import { fairnessOutcome, type FairnessOutcome } from './fairness-metrics.js';
import { groupActivation } from './group-statistics.js';
import { argmaxRows, checkClassifierWidth, classifierLogits, type LinearClassifier } from './linear-classifier.js';
import { trainLogisticProbe, type ProbeOptions, type ProbeResult } from './logistic-probe.js';
import { mitigationVerdict, type MitigationVerdict } from './mitigation-verdict.js';
import { decisionsAfter } from './row-interventions.js';
import { encodeRows, type SaeModel } from './sae-model.js';
import { codeAt } from './sparse-codes.js';

export interface BiasAnalysisInput {
  model: SaeModel;
  /** Embeddings in the original space [rows, dIn]. */
  x: Matrix;
  /** Ground truth of the target per row (0/1), when there is one: gives TPR/FPR/precision. Needed to train a probe. */
  target?: Uint8Array;
  /** Group attribute per row (0/1). */
  group: Uint8Array;
  /** Name of group 1 in the verdict's words (default "group"). */
  groupLabel?: string;
  /** A given classifier and the class that means "target": its decisions are studied (default: a probe trained on `target`). */
  classifier?: { classifier: LinearClassifier; targetClass: number };
  probe?: ProbeOptions;
  /** Codes from the top-k encode (undefined: every positive code). */
  k?: number;
  /** Amplification factor (default 2). */
  alpha?: number;
  /** Latents removed by the mitigation, and moved by the counterfactual (default 5). */
  remove?: number;
  /** Latents listed per ranking (default 20). */
  top?: number;
  renormalize?: boolean;
  /** Bootstrap resamples for the 95% intervals (default 1000) and their seed. */
  resamples?: number;
  seed?: number;
  /** Progress of the slow phases (rows or latents done, total). */
  onProgress?: (phase: 'encode' | 'effects' | 'intervals', done: number, total: number) => void;
}

/** A latent ranked by how differently the two groups use it. */
export interface GroupGapLatent {
  latent: number;
  mean1: number;
  mean0: number;
  rate1: number;
  rate0: number;
  standardizedDifference: number;
  /** mean z group 1 - mean z group 0, with its interval */
  difference: Interval;
}

/** A latent ranked by its causal effect on the gap in P(target) between the groups. */
export interface CausalLatent {
  latent: number;
  /** mean change of P(target) per group when ablated (z = 0) and when amplified (z * alpha) */
  ablate1: number;
  ablate0: number;
  amplify1: number;
  amplify0: number;
  /** change of the gap in mean P(target) (group 1 - group 0) when the latent is ablated, with its interval */
  gapChange: Interval;
  /** |gap| - |gap after ablating it| */
  gapReduction: number;
  /** decisions that flip when it is ablated */
  flips: number;
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
  /** Whether a ground-truth target was given (error rates need it). */
  hasTruth: boolean;
  /** The ground truth equals the classifier's own decisions: accuracy against it is circular. */
  circular: boolean;
  /** Gap in mean P(target) before. */
  probabilityGap: number;
  before: FairnessOutcome;
  /** After removing `removed` (z = 0 in every row). */
  after: FairnessOutcome;
  removed: number[];
  verdict: MitigationVerdict;
  /** Group latents moved to the other group's mean values (each row gets the other group's mean z). */
  counterfactual: { latents: number[]; outcome: FairnessOutcome };
  byGroupGap: GroupGapLatent[];
  byCausalEffect: CausalLatent[];
}

/**
 * A bias study of a classifier's decisions on embeddings: per-group outcomes with intervals, the latents that
 * differ between the groups and those that cause the gap (with intervals), a counterfactual that moves the group
 * latents to the other group's values, and a mitigation (remove the top causal latents) with a verdict that
 * tells "bias reduced" from "target removed".
 */
export async function analyzeBias(input: BiasAnalysisInput): Promise<BiasAnalysisResult> {
  const { model, x, target, group } = input;
  if (target && target.length !== x.rows) throw new ShapeMismatchError(`target attribute has ${target.length} rows but the embeddings have ${x.rows}`);
  if (group.length !== x.rows) throw new ShapeMismatchError(`group attribute has ${group.length} rows but the embeddings have ${x.rows}`);
  const boot = { resamples: input.resamples ?? 1000, seed: input.seed ?? 12345 };
  let classifier: LinearClassifier;
  let targetClass: number;
  let probe: BiasAnalysisResult['probe'];
  if (input.classifier) {
    classifier = input.classifier.classifier;
    targetClass = input.classifier.targetClass;
    checkClassifierWidth(classifier, x.cols);
    if (!(targetClass >= 0 && targetClass < classifier.weights.rows)) throw new AnalysisError(`target class ${targetClass} is outside 0..${classifier.weights.rows - 1}`);
  } else {
    if (!target) throw new AnalysisError('a bias study needs a classifier, or a target attribute to train a probe on');
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
  const baseProbability = effects.baseProbability;
  const top = argmaxRows(await classifierLogits(classifier, x, model.matmul), classifier.weights.rows);
  const baseDecision = Uint8Array.from(top, (c) => (c === targetClass ? 1 : 0));
  const head = { classifier, targetClass, baseDecision, baseProbability, renormalize: input.renormalize };
  const before = fairnessOutcome(baseDecision, group, target, boot);
  const probabilityGap = meanBy(baseProbability, group, 1) - meanBy(baseProbability, group, 0);
  const topN = input.top ?? 20;
  const remove = input.remove ?? 5;

  // ranking 1: activation gap between the groups
  const byStd = Array.from({ length: model.dSae }, (_, j) => j).sort(
    (a, b) => Math.abs(stats.standardizedDifference[b]) - Math.abs(stats.standardizedDifference[a]) || a - b,
  );
  const byGroupGap: GroupGapLatent[] = byStd.slice(0, topN).map((j) => {
    const z = Float64Array.from({ length: x.rows }, (_, r) => codeAt(codes, r, j));
    const [difference] = bootstrapIntervals(x.rows, (w) => [weightedMean(z, w, group, 1) - weightedMean(z, w, group, 0)], { ...boot, strata: group });
    return { latent: j, mean1: stats.mean1[j], mean0: stats.mean0[j], rate1: stats.rate1[j], rate0: stats.rate0[j], standardizedDifference: stats.standardizedDifference[j], difference };
  });

  // ranking 2: causal effect on the probability gap, exact per-row deltas and intervals for the top ones
  const reduction = (j: number) => Math.abs(probabilityGap) - Math.abs(probabilityGap + effects.ablate1[j] - effects.ablate0[j]); // |gap| - |gap'|
  const byReduction = Array.from({ length: model.dSae }, (_, j) => j).sort((a, b) => reduction(b) - reduction(a) || a - b);
  const byCausalEffect: CausalLatent[] = [];
  for (const [i, j] of byReduction.slice(0, topN).entries()) {
    input.onProgress?.('intervals', i, topN);
    const after = await decisionsAfter(model, x, codes, (r) => (codeAt(codes, r, j) > 0 ? [[j, 0]] : undefined), head);
    const delta = Float64Array.from(after.probability, (p, r) => p - baseProbability[r]);
    const [gapChange] = bootstrapIntervals(x.rows, (w) => [weightedMean(delta, w, group, 1) - weightedMean(delta, w, group, 0)], { ...boot, strata: group });
    let flips = 0;
    for (let r = 0; r < x.rows; r++) if (after.decision[r] !== baseDecision[r]) flips++;
    byCausalEffect.push({ latent: j, ablate1: effects.ablate1[j], ablate0: effects.ablate0[j], amplify1: effects.amplify1[j], amplify0: effects.amplify0[j], gapChange, gapReduction: reduction(j), flips });
  }
  input.onProgress?.('intervals', topN, topN);

  // mitigation: remove the top causal latents that reduce the gap
  const removed = byReduction.filter((j) => reduction(j) > 0).slice(0, remove);
  const mitigated = await decisionsAfter(model, x, codes, (r) => removed.filter((j) => codeAt(codes, r, j) > 0).map((j) => [j, 0] as const), head);
  const after = fairnessOutcome(mitigated.decision, group, target, boot);
  const verdict = mitigationVerdict({ before: baseDecision, after: mitigated.decision, group, truth: target, outcomeBefore: before, outcomeAfter: after, groupLabel: input.groupLabel });

  // counterfactual: the group latents take the other group's mean value in every row
  const groupLatents = byStd.slice(0, remove);
  const moved = await decisionsAfter(model, x, codes, (r) => groupLatents.map((j) => [j, group[r] ? stats.mean0[j] : stats.mean1[j]] as const), head);
  const counterfactual = { latents: groupLatents, outcome: fairnessOutcome(moved.decision, group, target, boot) };

  let circular = false;
  if (target) circular = target.every((t, r) => t === baseDecision[r]);
  return {
    rows: x.rows,
    rows1: stats.rows1,
    rows0: stats.rows0,
    probe,
    classifier,
    targetClass,
    alpha: effects.alpha,
    k: input.k ?? null,
    hasTruth: !!target,
    circular,
    probabilityGap,
    before,
    after,
    removed,
    verdict,
    counterfactual,
    byGroupGap,
    byCausalEffect,
  };
}

function meanBy(v: Float64Array, group: Uint8Array, g: number): number {
  let s = 0, n = 0;
  for (let r = 0; r < v.length; r++) if ((group[r] ? 1 : 0) === g) {
    s += v[r];
    n++;
  }
  return n ? s / n : 0;
}

/** sum_r w_r v_r / sum_r w_r over the rows of group g */
function weightedMean(v: Float64Array, w: Uint32Array, group: Uint8Array, g: number): number {
  let s = 0, n = 0;
  for (let r = 0; r < v.length; r++) if (w[r] && (group[r] ? 1 : 0) === g) {
    s += w[r] * v[r];
    n += w[r];
  }
  return n ? s / n : Number.NaN;
}
