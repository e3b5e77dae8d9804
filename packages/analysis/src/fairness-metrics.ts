import { bootstrapIntervals, type BootstrapOptions, type Interval } from './bootstrap.js';

/** One group's decisions (and, with ground truth, its error rates). */
export interface GroupOutcome {
  n: number;
  positives: number;
  positiveRate: Interval;
  /** With ground truth: P(decision | truth), P(decision | not truth), P(truth | decision) */
  tpr?: Interval;
  fpr?: Interval;
  precision?: Interval;
}

/** Decisions of a classifier by group, with 95% bootstrap intervals (group 1 = attribute true). */
export interface FairnessOutcome {
  group1: GroupOutcome;
  group0: GroupOutcome;
  /** positive rate 1 - positive rate 0 */
  parityDifference: Interval;
  /** positive rate 1 / positive rate 0 */
  parityRatio: Interval;
  /** With ground truth: TPR 1 - TPR 0, FPR 1 - FPR 0 (equalized odds asks both to be 0) */
  tprGap?: Interval;
  fprGap?: Interval;
  /** With ground truth: accuracy of the decisions */
  accuracy?: Interval;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);

/**
 * Per-group positive rate, TPR / FPR / precision (with truth), parity difference and ratio, equalized-odds gaps;
 * intervals from a bootstrap stratified by group (each group's size stays fixed).
 */
export function fairnessOutcome(decision: Uint8Array, group: Uint8Array, truth?: Uint8Array, options: BootstrapOptions = {}): FairnessOutcome {
  const rows = decision.length;
  const stats = (w: Uint32Array): number[] => {
    // counts per group g: n, positives, truth, true positives, false positives
    const c = [new Float64Array(5), new Float64Array(5)];
    let right = 0;
    for (let r = 0; r < rows; r++) {
      const wr = w[r];
      if (wr === 0) continue;
      const k = c[group[r] ? 1 : 0];
      const d = decision[r];
      k[0] += wr;
      k[1] += wr * d;
      if (truth) {
        const t = truth[r];
        k[2] += wr * t;
        k[3] += wr * d * t;
        k[4] += wr * d * (1 - t);
        if (d === t) right += wr;
      }
    }
    const rate = (g: number) => ratio(c[g][1], c[g][0]);
    const tpr = (g: number) => ratio(c[g][3], c[g][2]);
    const fpr = (g: number) => ratio(c[g][4], c[g][0] - c[g][2]);
    const prec = (g: number) => ratio(c[g][3], c[g][1]);
    const base = [rate(1), rate(0), rate(1) - rate(0), ratio(rate(1), rate(0))];
    if (!truth) return base;
    return [...base, tpr(1), tpr(0), fpr(1), fpr(0), prec(1), prec(0), tpr(1) - tpr(0), fpr(1) - fpr(0), right / rows];
  };
  const iv = bootstrapIntervals(rows, stats, { ...options, strata: group });
  const count = (g: number) => {
    let n = 0, p = 0;
    for (let r = 0; r < rows; r++) if ((group[r] ? 1 : 0) === g) {
      n++;
      p += decision[r];
    }
    return { n, positives: p };
  };
  const group1: GroupOutcome = { ...count(1), positiveRate: iv[0] };
  const group0: GroupOutcome = { ...count(0), positiveRate: iv[1] };
  const out: FairnessOutcome = { group1, group0, parityDifference: iv[2], parityRatio: iv[3] };
  if (truth) {
    Object.assign(group1, { tpr: iv[4], fpr: iv[6], precision: iv[8] });
    Object.assign(group0, { tpr: iv[5], fpr: iv[7], precision: iv[9] });
    out.tprGap = iv[10];
    out.fprGap = iv[11];
    out.accuracy = iv[12];
  }
  return out;
}
