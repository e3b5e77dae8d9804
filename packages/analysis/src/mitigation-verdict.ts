import type { FairnessOutcome } from './fairness-metrics.js';

export type VerdictKind = 'bias reduced' | 'target removed' | 'gap not reduced' | 'mixed';

/** What a mitigation did, told apart: the gap closing while each group keeps its decisions, or the target going away. */
export interface MitigationVerdict {
  kind: VerdictKind;
  /** The verdict in one sentence, with the numbers behind it. */
  words: string;
  /** The rule applied. */
  rule: string;
  /** Share of each group's positive decisions (with truth: of its true positives) still positive after. */
  retained1: number;
  retained0: number;
  gapBefore: number;
  gapAfter: number;
}

/** Thresholds of the verdict rule. */
export const VERDICT_RULE = { removedBelow: 0.5, keptAbove: 0.8, gapShrink: 0.5 } as const;

/**
 * Verdict from per-row decisions before and after: retained_g = rows of group g positive before and after /
 * rows positive before (with truth: restricted to truly positive rows).
 * - "target removed": every group keeps < 50% of its positives;
 * - "bias reduced": |gap after| <= 50% of |gap before| and each group keeps >= 80% of its true positives
 *   (without truth: the group with the lower positive rate keeps >= 80% of its positives; the other group's excess is what goes);
 * - "gap not reduced": |gap after| > 50% of |gap before|; "mixed" otherwise.
 */
export function mitigationVerdict(
  input: { before: Uint8Array; after: Uint8Array; group: Uint8Array; truth?: Uint8Array; outcomeBefore: FairnessOutcome; outcomeAfter: FairnessOutcome; groupLabel?: string },
): MitigationVerdict {
  const { before, after, group, truth } = input;
  const kept = [0, 0];
  const had = [0, 0];
  for (let r = 0; r < before.length; r++) {
    if (!before[r] || (truth && !truth[r])) continue;
    const g = group[r] ? 1 : 0;
    had[g]++;
    if (after[r]) kept[g]++;
  }
  const retained1 = had[1] ? kept[1] / had[1] : Number.NaN;
  const retained0 = had[0] ? kept[0] / had[0] : Number.NaN;
  const gapBefore = input.outcomeBefore.parityDifference.estimate;
  const gapAfter = input.outcomeAfter.parityDifference.estimate;
  const g1 = input.groupLabel ?? 'group';
  const g0 = `not ${g1}`;
  const lowerIs1 = input.outcomeBefore.group1.positiveRate.estimate < input.outcomeBefore.group0.positiveRate.estimate;
  const pct = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(100 * v).toFixed(0)}%`);
  const what = truth ? 'true positives' : 'positive decisions';
  const retainedText = `${g1} keeps ${pct(retained1)} of its ${what} (${input.outcomeBefore.group1.positives} -> ${input.outcomeAfter.group1.positives} positives), ${g0} keeps ${pct(retained0)} (${input.outcomeBefore.group0.positives} -> ${input.outcomeAfter.group0.positives})`;
  const ratioText = `parity ratio ${fmt(input.outcomeBefore.parityRatio.estimate)}x -> ${fmt(input.outcomeAfter.parityRatio.estimate)}x`;
  const gapText = `gap ${signed(gapBefore)} -> ${signed(gapAfter)}`;
  const R = VERDICT_RULE;
  const rule = `target removed: every group keeps < ${pct(R.removedBelow)} of its ${what}; bias reduced: |gap| shrinks to <= ${pct(R.gapShrink)} of before and ${truth ? 'each group keeps' : 'the lower-rate group keeps'} >= ${pct(R.keptAbove)} of its ${what}; gap not reduced: |gap| stays above ${pct(R.gapShrink)} of before; mixed: otherwise`;
  const closes = Math.abs(gapAfter) <= R.gapShrink * Math.abs(gapBefore);
  const keeps = truth ? retained1 >= R.keptAbove && retained0 >= R.keptAbove : (lowerIs1 ? retained1 : retained0) >= R.keptAbove;
  let kind: VerdictKind;
  let words: string;
  if (retained1 < R.removedBelow && retained0 < R.removedBelow) {
    kind = 'target removed';
    words = `TARGET REMOVED, not bias: positives fell in every group (${retainedText}); ${gapText}, ${ratioText}. The edit deleted the target concept itself.`;
  } else if (closes && keeps) {
    kind = 'bias reduced';
    words = `BIAS REDUCED: the gap closed (${gapText}, ${ratioText}) while the groups kept their decisions (${retainedText}).`;
  } else if (!closes) {
    kind = 'gap not reduced';
    words = `GAP NOT REDUCED: ${gapText} (${ratioText}); ${retainedText}.`;
  } else {
    kind = 'mixed';
    words = `MIXED: the gap closed (${gapText}, ${ratioText}) but decisions were lost (${retainedText}).`;
  }
  return { kind, words, rule, retained1, retained0, gapBefore, gapAfter };
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
