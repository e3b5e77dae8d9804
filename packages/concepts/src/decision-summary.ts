import type { LatentDecision } from './latent-dashboard.js';

export interface SummaryContext {
  significant: boolean;
  withData: boolean;
  fdr: number;
  maxEvidenceRank: number;
  minTopRows: number;
}

const pct = (p: number) => `${(100 * (1 - p)).toFixed(p < 0.001 ? 2 : 1)}%`;

/** The evidence behind a naming decision in plain words (one or two sentences). */
export function describeDecision(d: LatentDecision, concept: string, ctx: SummaryContext): string {
  const e = d.evidence;
  if (!e) return 'No evidence computed.';
  const decoder = `Its decoder direction matches "${concept}" (cosine ${e.decoderScore.toFixed(3)}, rank ${e.decoderRank} of ${e.vocabularySize}) better than ${pct(e.pValue)} of null directions of this checkpoint (p = ${e.pValue.toPrecision(2)}, FDR-adjusted q = ${e.qValue.toPrecision(2)}).`;
  const data =
    e.auroc !== undefined
      ? ` On rows not used to choose it, "${concept}" ranks ${e.validateRank} of ${e.vocabularySize} concepts at describing the latent's ${e.topRows} top rows (AUROC ${e.auroc.toFixed(2)}, lift ${e.lift! >= 0 ? '+' : ''}${e.lift!.toFixed(3)} cosine).`
      : '';
  const held = e.heldOutRank !== undefined ? ` Held-out rows: rank ${e.heldOutRank}, AUROC ${e.heldOutAuroc!.toFixed(2)} (${e.holdsUp ? 'holds up' : 'does not hold up'}).` : '';
  if (d.name !== null) return `Named "${d.name}". ${decoder}${data}${held}`;
  if (!ctx.significant) return `Not named: the best decoder match "${concept}" is not significant after false-discovery control at ${ctx.fdr} (p = ${e.pValue.toPrecision(2)}, q = ${e.qValue.toPrecision(2)}).`;
  if (ctx.withData && e.auroc === undefined) return `Not named: too few distinct active rows (${e.topRows ?? 0} < ${ctx.minTopRows}) to check "${concept}" on the validate half. ${decoder}`;
  return `Not named: the data does not support "${concept}" (needs rank <= ${ctx.maxEvidenceRank} and positive lift on rows not used to choose it). ${decoder}${data}`;
}
