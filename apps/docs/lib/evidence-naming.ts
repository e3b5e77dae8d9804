import type { DashboardEvidence, EvidenceNamingResult, LatentName, NamingResult } from '@msae/concepts/browser';

/** A latent as the site keeps it: the decoder match (score, margin, z, candidates) plus issue 18's evidence record. */
export interface EvidenceLatent extends Omit<LatentName, 'candidates'> {
  candidates: Array<{ label: string; score: number; entry?: number; pValue?: number; evidenceRank?: number }>;
  /** The numbers behind the name (or behind the refusal to name); absent for names by the former cosine/margin/z rule. */
  evidence?: DashboardEvidence | null;
}

/** The rule that decided the names and how the whole set fared. */
export interface EvidenceRuleRecord {
  fdr: number;
  maxEvidenceRank: number;
  minTopRows: number;
  pCutoff: number;
  nullSamples: number;
  decoderSignificant: number;
  /** Rows names were chosen and validated on (halves), when data was used. */
  data?: { rows: number; distinctRows?: number; file?: string };
  /** Rows never used to choose names: how many named latents could be judged there and how many hold up. */
  heldOut?: { checkable: number; holdsUp: number; maxRank: number; file?: string };
}

/** The naming the site shows: `NamingResult`-shaped, by the evidence rule when `method` is 'evidence'. */
export interface SiteNaming extends Omit<NamingResult, 'latents' | 'thresholds'> {
  method?: 'evidence';
  latents: EvidenceLatent[];
  thresholds?: NamingResult['thresholds'];
  evidenceRule?: EvidenceRuleRecord;
}

/** @msae/concepts' evidence naming -> the site's record (the decoder match of each latent with its decision). */
export function toSiteNaming(r: EvidenceNamingResult, data?: { rows: number }, heldOutRows?: number): SiteNaming {
  const latents: EvidenceLatent[] = r.decisions.map((d, j) => {
    const m = r.matches[j];
    return {
      index: j,
      name: d.name,
      score: m.score,
      margin: m.margin,
      z: m.z,
      candidates: m.candidates.slice(0, 5).map((c, i) => ({ ...c, pValue: d.candidates[i]?.pValue, evidenceRank: d.candidates[i]?.evidenceRank })),
      evidence: d.evidence,
    };
  });
  return {
    method: 'evidence',
    latents,
    named: r.named,
    mapping: 'row',
    vocabularySize: r.vocabularySize,
    centeredVocabulary: true,
    evidenceRule: {
      ...r.rule,
      pCutoff: r.pCutoff,
      nullSamples: r.nullSamples,
      decoderSignificant: r.decoderSignificant,
      ...(data ? { data: { rows: data.rows } } : {}),
      ...(r.heldOut ? { heldOut: { ...r.heldOut, file: heldOutRows ? `${heldOutRows} held-out rows` : undefined } } : {}),
    },
  };
}

const num = (v: number) => v.toLocaleString('en');
const p2 = (v: number) => (v < 0.001 ? v.toExponential(1) : v.toPrecision(2));
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

/** The concept a decision is about: the name, else the best decoder guess. */
function conceptOf(l: EvidenceLatent): string {
  return l.name ?? l.candidates[0]?.label ?? '?';
}

/**
 * Issue 18's evidence record in plain words: the decoder test against a null model (p, FDR-adjusted q),
 * the data evidence on rows not used to choose the name (rank, lift, AUROC), the held-out check, the verdict.
 */
export function evidenceSentences(l: EvidenceLatent, naming: SiteNaming, vocabularyName: string): string[] {
  const e = l.evidence;
  const rule = naming.evidenceRule;
  if (!e || !rule) return [];
  const concept = conceptOf(l);
  const lines: string[] = [];
  // p = share of random directions of this checkpoint whose best match beats this cosine; q = BH-adjusted p over all latents
  lines.push(
    `Decoder: the latent's direction matches "${concept}" with cosine ${e.decoderScore.toFixed(3)} (rank ${e.decoderRank} of ${num(e.vocabularySize)} concepts of ${vocabularyName}). ` +
      `Random directions of this checkpoint match some concept that well with probability p = ${p2(e.pValue)}; corrected for testing all ${num(naming.latents.length)} latents, q = ${p2(e.qValue)} (a name needs q ≤ ${rule.fdr}).`,
  );
  if (e.auroc !== undefined && e.lift !== undefined) {
    lines.push(
      `Data: on ${rule.data ? `half of the ${num(rule.data.rows)} rows` : 'rows'} that were not used to choose the name, "${concept}" ranks ${e.validateRank} of ${num(e.vocabularySize)} concepts at describing the latent's ${e.topRows} top rows ` +
        `(needs ≤ ${rule.maxEvidenceRank}): those rows are ${signed(e.lift)} closer in cosine to "${concept}" than the average row (the lift), and "${concept}" tells them from the rest with AUROC ${e.auroc.toFixed(2)} (0.5 = chance, 1 = perfect).`,
    );
  } else if (rule.data) {
    lines.push(`Data: only ${e.topRows ?? 0} distinct top rows on the validation half (at least ${rule.minTopRows} are needed to judge a name).`);
  }
  if (e.heldOutRank !== undefined) {
    lines.push(
      `Held out: on rows never used for naming${rule.heldOut?.file ? ` (${rule.heldOut.file})` : ''} "${concept}" ranks ${e.heldOutRank} by lift (AUROC ${e.heldOutAuroc?.toFixed(2)}): it ${e.holdsUp ? 'holds up' : 'does not hold up'} (rank ≤ ${rule.heldOut?.maxRank ?? 10} counts as holding up).`,
    );
  }
  if (l.name) lines.push(`So the latent is named "${l.name}".`);
  else {
    const significant = rule.pCutoff >= 0 && (l.candidates[0]?.pValue ?? e.pValue) <= rule.pCutoff;
    const why = !significant ? 'the decoder match is not significant' : e.auroc === undefined && rule.data ? 'too few rows to check it' : 'the data does not support it';
    lines.push(`So the latent is left unnamed (${why}); "${concept}" is only a guess. Look at its examples before trusting it.`);
  }
  return lines;
}

/** One line for the whole naming: how many names, how many pass the decoder test, how many hold up. */
export function namingSummary(naming: SiteNaming): string | null {
  const r = naming.evidenceRule;
  if (!r) return null;
  const held = r.heldOut ? `; ${r.heldOut.holdsUp} of ${r.heldOut.checkable} checkable names hold up on held-out rows` : '';
  return `${naming.named} named by the evidence rule: ${r.decoderSignificant} latents pass the decoder test at FDR ${r.fdr}${r.data ? `, names checked on ${num(r.data.rows)} rows` : ''}${held}.`;
}
