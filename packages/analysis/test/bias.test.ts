import { describe, expect, it } from 'vitest';
import {
  analyzeBias,
  AttributeTableError,
  binaryAttribute,
  causalEffects,
  createSaeModel,
  encodeRows,
  parseAttributeTable,
  plantedBias,
  probeLossAndGradient,
  resolveEdits,
  ShapeMismatchError,
  steer,
  targetProbability,
  trainLogisticProbe,
  zeroShotHead,
} from '../src/index.js';
import { randomSae, unitData } from './fixtures.js';

describe('attribute tables', () => {
  const celeba = '3\nSmiling Male Young\n000001.jpg 1 -1 1\n000002.jpg -1 1 1\n000003.jpg 1 1 -1\n';

  it('reads the CelebA layout and CSV with a header', () => {
    const t = parseAttributeTable(celeba);
    expect(t.ids).toEqual(['000001.jpg', '000002.jpg', '000003.jpg']);
    expect(t.names).toEqual(['Smiling', 'Male', 'Young']);
    expect(Array.from(binaryAttribute(t, 'Male').values)).toEqual([0, 1, 1]);
    const csv = parseAttributeTable('image,source,score\na.jpg,jm,0.5\nb.jpg,"mic",-1\nc.jpg,jm,2\n');
    expect(csv.ids).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    expect(Array.from(binaryAttribute(csv, 'source=jm').values)).toEqual([1, 0, 1]);
    expect(Array.from(binaryAttribute(csv, 'score').values)).toEqual([1, 0, 1]);
  });

  it('rejects a wrong row count, wrong row width, unknown attributes and text used as a number', () => {
    expect(() => parseAttributeTable(celeba.replace(/^3/, '4'))).toThrow(/says 4 rows but the file has 3/);
    expect(() => parseAttributeTable(celeba.replace('000002.jpg -1 1 1', '000002.jpg -1 1'))).toThrow(/row 2 has 3 fields, expected 4/);
    expect(() => binaryAttribute(parseAttributeTable(celeba), 'Attractive')).toThrow(AttributeTableError);
    const csv = parseAttributeTable('source\njm\nmic\n');
    expect(() => binaryAttribute(csv, 'source')).toThrow(/not numeric/);
    expect(() => binaryAttribute(csv, 'source=xx')).toThrow(/never equals/);
  });
});

describe('logistic probe', () => {
  it('gradient matches central finite differences', () => {
    const x = unitData(40, 6, 9);
    const y = Uint8Array.from({ length: 40 }, (_, i) => (x.data[i * 6] > 0 ? 1 : 0));
    const rows = Uint32Array.from({ length: 40 }, (_, i) => i);
    const theta = Float64Array.from([0.3, -0.2, 0.1, 0.5, -0.4, 0.2, 0.05]);
    const { grad } = probeLossAndGradient(x, y, rows, theta, 0.01);
    for (let k = 0; k < theta.length; k++) {
      const h = 1e-5;
      const up = theta.slice();
      const down = theta.slice();
      up[k] += h;
      down[k] -= h;
      const fd = (probeLossAndGradient(x, y, rows, up, 0.01).loss - probeLossAndGradient(x, y, rows, down, 0.01).loss) / (2 * h);
      expect(grad[k]).toBeCloseTo(fd, 6);
    }
  });

  it('reaches the optimum (gradient ~ 0) and separates a separable problem on held-out rows', () => {
    const x = unitData(500, 8, 11);
    const y = Uint8Array.from({ length: 500 }, (_, i) => (x.data[i * 8] + 0.5 * x.data[i * 8 + 1] > 0 ? 1 : 0));
    const probe = trainLogisticProbe(x, y, { l2: 1e-3, seed: 1 });
    expect(probe.heldOutRows).toBe(100);
    expect(probe.heldOutAccuracy).toBeGreaterThan(0.95);
    const again = trainLogisticProbe(x, y, { l2: 1e-3, seed: 1 });
    expect(Array.from(again.w)).toEqual(Array.from(probe.w));
    // with no hold-out the optimum is over every row: the regularized gradient vanishes there
    const all = trainLogisticProbe(x, y, { l2: 1e-3, holdout: 0 });
    const { grad } = probeLossAndGradient(x, y, Uint32Array.from({ length: 500 }, (_, i) => i), Float64Array.from([...all.w, all.b]), 1e-3);
    expect(Math.hypot(...grad)).toBeLessThan(1e-5);
    expect(probe.loss).toBeLessThan(0.3);
  });
});

describe('bias analysis', () => {
  it('planted spurious link: the spurious latent ranks first on both rankings, removing it closes the gap: "bias reduced"', async () => {
    const planted = plantedBias({ rows: 3000, seed: 7 });
    const model = createSaeModel(planted.checkpoint);
    const result = await analyzeBias({
      model,
      x: planted.x,
      target: planted.target,
      group: planted.group,
      classifier: { classifier: planted.classifier, targetClass: 1 },
      remove: 1,
      resamples: 200,
      top: 32,
    });
    expect(result.byCausalEffect[0].latent).toBe(planted.spuriousLatent);
    expect(result.byGroupGap[0].latent).toBe(planted.spuriousLatent);
    expect(result.removed).toEqual([planted.spuriousLatent]);
    expect(result.before.parityDifference.estimate).toBeGreaterThan(0.2);
    expect(Math.abs(result.after.parityDifference.estimate)).toBeLessThan(0.05);
    // the classifier then reads the true latent only: decisions are the targets, the gap left is the data's own
    const rate = (g: number) => planted.target.filter((_, r) => planted.group[r] === g).reduce((a, b) => a + b, 0) / planted.group.filter((v) => v === g).length;
    expect(result.after.accuracy!.estimate).toBe(1);
    expect(result.after.parityDifference.estimate).toBeCloseTo(rate(1) - rate(0), 10);
    expect(result.before.accuracy!.estimate).toBeLessThan(0.75);
    // error rates: the spurious latent gives group 1 false positives, TPR is 1 in both groups
    expect(result.before.group1.fpr!.estimate).toBeGreaterThan(0.8);
    expect(result.before.group0.fpr!.estimate).toBeLessThan(0.2);
    expect(result.before.fprGap!.low).toBeGreaterThan(0.6);
    expect(result.before.group1.tpr!.estimate).toBe(1);
    expect(result.after.group1.fpr!.estimate).toBe(0);
    expect(result.verdict.kind).toBe('bias reduced');
    expect(result.verdict.retained1).toBe(1);
    expect(result.verdict.retained0).toBe(1);
    // intervals bracket the estimate and exclude 0 for the real gap
    const gap = result.before.parityDifference;
    expect(gap.low).toBeLessThan(gap.estimate);
    expect(gap.high).toBeGreaterThan(gap.estimate);
    expect(gap.low).toBeGreaterThan(0.3);
    expect(result.byCausalEffect[0].gapChange.high).toBeLessThan(0);
    // the true latent moves P(target) in both groups alike, so it explains no gap
    const trueLatent = result.byCausalEffect.find((l) => l.latent === planted.trueLatent)!;
    expect(trueLatent.ablate1).toBeLessThan(-0.1);
    expect(trueLatent.ablate0).toBeLessThan(-0.1);
    // counterfactual: group rows take the other group's mean spurious code (0.1*~1.1 for group 1, 0.9*~1.1 for group 0)
    expect(result.counterfactual.latents[0]).toBe(planted.spuriousLatent);
    const cf = result.counterfactual.outcome;
    expect(cf.parityDifference.estimate).toBeLessThan(0);
  });

  it('without ground truth (decisions of the classifier only): rates and verdict, no error rates', async () => {
    const planted = plantedBias({ rows: 2000, seed: 9 });
    const model = createSaeModel(planted.checkpoint);
    const result = await analyzeBias({ model, x: planted.x, group: planted.group, classifier: { classifier: planted.classifier, targetClass: 1 }, remove: 1, resamples: 100 });
    expect(result.hasTruth).toBe(false);
    expect(result.before.group1.tpr).toBeUndefined();
    expect(result.before.accuracy).toBeUndefined();
    expect(result.verdict.kind).toBe('bias reduced');
    expect(result.verdict.retained1).toBeLessThan(0.6);
    expect(result.verdict.retained0).toBeGreaterThan(0.8);
  });

  it('planted target concept: closing the gap deletes the target in every group: "target removed"', async () => {
    const planted = plantedBias({ rows: 3000, seed: 11, kind: 'target' });
    const model = createSaeModel(planted.checkpoint);
    const result = await analyzeBias({ model, x: planted.x, target: planted.target, group: planted.group, classifier: { classifier: planted.classifier, targetClass: 1 }, remove: 1, resamples: 200 });
    expect(result.before.parityDifference.estimate).toBeGreaterThan(0.4);
    expect(result.removed).toEqual([planted.trueLatent]);
    expect(result.after.group1.positives).toBe(0);
    expect(result.after.group0.positives).toBe(0);
    expect(result.verdict.kind).toBe('target removed');
    expect(result.verdict.words).toMatch(/TARGET REMOVED/);
    // equalized odds hold before: TPR 1 and FPR 0 in both groups, the gap is the data's
    expect(result.before.tprGap!.estimate).toBe(0);
    expect(result.before.fprGap!.estimate).toBe(0);
  });

  it('a target equal to the classifier\'s own decisions is flagged as circular', async () => {
    const planted = plantedBias({ rows: 800, seed: 5 });
    const model = createSaeModel(planted.checkpoint);
    const first = await analyzeBias({ model, x: planted.x, group: planted.group, classifier: { classifier: planted.classifier, targetClass: 1 }, resamples: 20, top: 3 });
    expect(first.circular).toBe(false);
    const decisions = Uint8Array.from({ length: planted.x.rows }, (_, r) => {
      const d = planted.x.cols;
      return 4 * (planted.x.data[r * d + planted.trueLatent] + planted.x.data[r * d + planted.spuriousLatent]) - 3 > 0 ? 1 : 0;
    });
    const again = await analyzeBias({ model, x: planted.x, target: decisions, group: planted.group, classifier: { classifier: planted.classifier, targetClass: 1 }, resamples: 20, top: 3 });
    expect(again.circular).toBe(true);
    expect(again.before.accuracy!.estimate).toBe(1);
  });

  it('planted with a probe trained on group-confounded data: it learns the spurious latent, which ranks first', async () => {
    const planted = plantedBias({ rows: 3000, seed: 8 });
    // training rows where the group mostly agrees with the target, so the spurious latent predicts it too
    const keep: number[] = [];
    for (let r = 0; r < planted.x.rows; r++) if (planted.group[r] === planted.target[r] || r % 10 === 0) keep.push(r);
    const d = planted.x.cols;
    const x = { data: new Float32Array(keep.length * d), rows: keep.length, cols: d };
    keep.forEach((r, i) => x.data.set(planted.x.data.subarray(r * d, (r + 1) * d), i * d));
    const target = Uint8Array.from(keep, (r) => planted.target[r]);
    const probe = trainLogisticProbe(x, target, { l2: 1e-3, seed: 3 });
    expect(probe.heldOutAccuracy).toBeGreaterThan(0.9);
    expect(probe.w[planted.spuriousLatent]).toBeGreaterThan(1);
    const model = createSaeModel(planted.checkpoint);
    const onConfounded = await analyzeBias({ model, x, target, group: Uint8Array.from(keep, (r) => planted.group[r]), probe: { seed: 3 }, resamples: 20, top: 3 });
    expect(onConfounded.probe!.heldOutAccuracy).toBeCloseTo(probe.heldOutAccuracy, 10);
    const result = await analyzeBias({
      model,
      x: planted.x,
      target: planted.target,
      group: planted.group,
      classifier: { classifier: probe.classifier, targetClass: 1 },
      remove: 1,
      resamples: 50,
    });
    expect(result.byCausalEffect[0].latent).toBe(planted.spuriousLatent);
    expect(result.removed).toEqual([planted.spuriousLatent]);
    expect(result.byGroupGap[0].latent).toBe(planted.spuriousLatent);
  });

  it('causal effects equal steering + classifier, for a cosine head and a renormalized linear head', async () => {
    const sae = randomSae(12, 48, 4);
    const model = createSaeModel(sae);
    const x = unitData(30, 12, 12);
    const group = Uint8Array.from({ length: 30 }, (_, i) => i % 2);
    const head = zeroShotHead(unitData(5, 12, 13));
    const linear = { kind: 'linear' as const, weights: unitData(3, 12, 14), bias: Float32Array.from([0.1, -0.2, 0.3]) };
    for (const [classifier, renormalize] of [[head, false], [linear, true]] as const) {
      const codes = await encodeRows(model, x, { k: 6 });
      const effects = await causalEffects(model, x, codes, group, classifier, { target: 2, alpha: 3, renormalize });
      const base = await targetProbability(classifier, x, 2, model.matmul);
      for (const j of [0, 7, 20, 33]) {
        for (const [value, field] of [[0, 'ablate'], [3, 'amplify']] as const) {
          const edits = resolveEdits([{ target: j, op: value === 0 ? 'set' : 'scale', value }], 48);
          const steered = await steer(model, x, edits, { codes, renormalize });
          // renormalize also rescales the unedited rows; the analysis only changes rows where z_j != 0
          const p = await targetProbability(classifier, steered, 2, model.matmul);
          const sums = [0, 0];
          for (let r = 0; r < 30; r++) if (steered.shift[r] > 0 && (codes.indices.subarray(codes.indptr[r], codes.indptr[r + 1]).includes(j))) sums[group[r]] += p[r] - base[r];
          expect(effects[`${field}1`][j]).toBeCloseTo(sums[1] / 15, 5);
          expect(effects[`${field}0`][j]).toBeCloseTo(sums[0] / 15, 5);
        }
      }
    }
  });

  it('rejects attributes of the wrong length and a classifier of the wrong width', async () => {
    const planted = plantedBias({ rows: 100 });
    const model = createSaeModel(planted.checkpoint);
    await expect(analyzeBias({ model, x: planted.x, target: planted.target.slice(1), group: planted.group })).rejects.toThrow(ShapeMismatchError);
    const wrong = zeroShotHead(unitData(3, planted.x.cols + 1));
    await expect(
      analyzeBias({ model, x: planted.x, target: planted.target, group: planted.group, classifier: { classifier: wrong, targetClass: 0 } }),
    ).rejects.toThrow(/width 33 but the embeddings have 32/);
  });
});
