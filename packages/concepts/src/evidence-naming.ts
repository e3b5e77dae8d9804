import type { MatmulABt, Matrix } from '@msae/core';
import { conceptAuroc, conceptLifts, conceptSimilarity, poolMeans, rankAmong, splitRows, topPoolRows } from './concept-evidence.js';
import { benjaminiHochberg, decoderNull, nullPValue } from './decoder-null-model.js';
import type { DecoderMapping, InputNormalization } from './decoder-directions.js';
import type { DashboardCandidate, DashboardEvidence } from './latent-dashboard-record.js';
import type { LatentDecision } from './latent-dashboard.js';
import { centeredRows, type LatentName, nameLatents, type VocabularyEmbeddings } from './name-latents.js';
import type { DuplicateGroups } from './near-duplicates.js';
import type { LatentColumns } from './sparse-codes.js';
import { describeDecision } from './decision-summary.js';

/** The acceptance rule; defaults from the planted benchmark (decoder) and the README (data). */
export interface EvidenceRule {
  /** False-discovery rate of the decoder test over all latents (Benjamini-Hochberg). */
  fdr: number;
  /** With data: the chosen concept must rank at most this among the vocabulary by lift on the validate half. */
  maxEvidenceRank: number;
  /** With data: distinct top rows a latent needs in the validate half to be judged. */
  minTopRows: number;
}

export const DEFAULT_EVIDENCE_RULE: EvidenceRule = { fdr: 0.05, maxEvidenceRank: 3, minTopRows: 3 };

/** Rows encoded by the SAE, for evidence. */
export interface EvidenceData {
  /** Rows in CLIP space [rows, dIn]. */
  data: Matrix;
  /** Per-latent active rows, highest activation first (`latentColumns(encodeSparseCodes(...))`). */
  columns: LatentColumns;
  duplicates?: DuplicateGroups;
  /** Rows left out (e.g. held-out rows that repeat an evidence row). */
  excludeRows?: ArrayLike<number>;
}

export interface EvidenceNamingOptions {
  decoder: Matrix;
  /** Vocabulary; `sources[i]` names the vocabulary label i came from (merged vocabularies). */
  vocabulary: VocabularyEmbeddings & { sources?: string[] };
  normalization?: InputNormalization;
  mapping?: DecoderMapping;
  rule?: Partial<EvidenceRule>;
  /** Decoder candidates per latent (default 10): the chosen concept is one of them. */
  candidates?: number;
  /** Null directions (default 8192). */
  nullSamples?: number;
  seed?: number;
  /** Data to choose and validate names on (split into halves, near-duplicates collapsed). */
  evidence?: EvidenceData;
  /** Top rows per latent used as its evidence (default 32). */
  topRows?: number;
  /** Rows never used to choose: the held-out check (e.g. a validation file). */
  heldOut?: EvidenceData;
  /** A name holds up on the held-out rows when it ranks at most this by lift there (default 10). */
  heldOutMaxRank?: number;
  matmul?: MatmulABt;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface EvidenceNamingResult {
  decisions: LatentDecision[];
  /** The raw decoder matches (best cosine, margin to the runner-up, z over the vocabulary) per latent. */
  matches: LatentName[];
  named: number;
  /** Latents whose decoder match passes the FDR test (names without data). */
  decoderSignificant: number;
  /** BH cutoff on the decoder p-values (-1: none passes). */
  pCutoff: number;
  rule: EvidenceRule;
  vocabularySize: number;
  nullSamples: number;
  /** With held-out rows: named latents judged there, and those whose name holds up. */
  heldOut?: { checkable: number; holdsUp: number; maxRank: number };
}

interface Pool {
  sim: Matrix;
  rows: Int32Array;
  mask: Uint8Array;
  mean: Float64Array;
  source: EvidenceData;
}

function makePool(source: EvidenceData, sim: Matrix, rows: Int32Array): Pool {
  const mask = new Uint8Array(source.data.rows);
  for (const r of rows) mask[r] = 1;
  return { sim, rows, mask, mean: poolMeans(sim, rows), source };
}

/** Evidence of concept c for latent j in a pool: its lift rank among the vocabulary, lift, AUROC. */
function measure(pool: Pool, j: number, topRows: number) {
  const top = topPoolRows(pool.source.columns, j, pool.mask, topRows, pool.source.duplicates);
  if (top.length === 0) return null;
  const lifts = conceptLifts(pool.sim, top, pool.mean);
  return {
    top,
    lifts,
    rank: (c: number) => rankAmong(lifts, c),
    auroc: (c: number) => conceptAuroc(pool.sim, pool.rows, top, c),
  };
}

const r5 = (x: number) => Number(x.toFixed(5));

/**
 * Names latents from calibrated evidence: (a) the decoder match against a null model of the same
 * checkpoint, as p-values with Benjamini-Hochberg control over all latents; (b) with data, the concept
 * among the decoder-supported candidates that the choose half's top rows support best, accepted only
 * when it also ranks among the best concepts on the validate half. Every decision carries its numbers.
 */
export async function nameWithEvidence(options: EvidenceNamingOptions): Promise<EvidenceNamingResult> {
  const rule: EvidenceRule = { ...DEFAULT_EVIDENCE_RULE, ...options.rule };
  const nCand = Math.max(1, options.candidates ?? 10);
  const topRows = options.topRows ?? 32;
  const { vocabulary, decoder, matmul } = options;
  const progress = options.onProgress ?? (() => undefined);
  const naming = await nameLatents({
    decoder,
    vocabulary,
    normalization: options.normalization,
    mapping: options.mapping,
    top: nCand,
    matmul,
    onProgress: (d, t) => progress('matching', d, t),
  });
  const keys = vocabulary.embeddings.rows >= 3 ? centeredRows(vocabulary.embeddings) : vocabulary.embeddings;
  const nullSamples = options.nullSamples ?? 8192;
  progress('null model', 0, 1);
  const nul = await decoderNull(decoder, keys, { samples: nullSamples, seed: options.seed, matmul });
  progress('null model', 1, 1);
  const bestP = naming.latents.map((l) => nullPValue(nul, l.score));
  const { q, cutoff } = benjaminiHochberg(bestP, rule.fdr);
  const sortedP = Float64Array.from(bestP).sort();
  // BH-adjusted value of any p against the latents' p-values: p m / #{p_i <= p} (at most 1)
  const qAt = (p: number) => {
    let lo = 0;
    let hi = sortedP.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortedP[mid] <= p) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(1, (p * sortedP.length) / Math.max(1, lo));
  };

  let choose: Pool | undefined;
  let validate: Pool | undefined;
  if (options.evidence) {
    progress('evidence', 0, 1);
    const sim = await conceptSimilarity(options.evidence.data, vocabulary.embeddings, matmul);
    const split = splitRows(options.evidence.data.rows, options.seed ?? 20250227, options.evidence.duplicates);
    choose = makePool(options.evidence, sim, split.choose);
    validate = makePool(options.evidence, sim, split.validate);
    progress('evidence', 1, 1);
  }
  let held: Pool | undefined;
  if (options.heldOut) {
    const h = options.heldOut;
    const sim = await conceptSimilarity(h.data, vocabulary.embeddings, matmul);
    const excluded = new Set<number>(Array.from(h.excludeRows ?? []));
    const rows = Int32Array.from({ length: h.data.rows }, (_, i) => i).filter(
      (r) => !excluded.has(r) && (!h.duplicates || h.duplicates.representative[r] === r),
    );
    held = makePool(h, sim, rows);
  }
  const heldOutMaxRank = options.heldOutMaxRank ?? 10;
  const sources = vocabulary.sources;
  let named = 0;
  let significant = 0;
  let checkable = 0;
  let holdsUp = 0;
  const decisions: LatentDecision[] = naming.latents.map((l, j) => {
    const isSignificant = cutoff >= 0 && bestP[j] <= cutoff && l.score > 0;
    if (isSignificant) significant++;
    const cands = l.candidates.map((c, rank) => ({ ...c, p: nullPValue(nul, c.score), decoderRank: rank + 1 }));
    const mChoose = choose ? measure(choose, j, topRows) : null;
    const mValidate = validate ? measure(validate, j, topRows) : null;
    const candidates: DashboardCandidate[] = cands.map((c) => {
      const out: DashboardCandidate = { label: c.label, decoderScore: r5(c.score), pValue: r5(c.p) };
      if (sources) out.source = sources[c.entry];
      if (mChoose) {
        out.evidenceRank = mChoose.rank(c.entry);
        out.lift = r5(mChoose.lifts[c.entry]);
      }
      return out;
    });
    // the chosen concept: among decoder-supported candidates (p <= BH cutoff), the best by choose-half evidence
    const supported = cands.filter((c) => cutoff >= 0 && c.p <= cutoff);
    let chosen = cands[0];
    if (mChoose && supported.length) {
      chosen = supported.reduce((a, b) => (mChoose.rank(b.entry) < mChoose.rank(a.entry) ? b : a));
    }
    let accepted = isSignificant;
    const evidence: DashboardEvidence = {
      decoderScore: r5(chosen.score),
      pValue: r5(chosen.p),
      qValue: r5(Math.max(q[j], qAt(chosen.p))),
      decoderRank: chosen.decoderRank,
      vocabularySize: vocabulary.labels.length,
    };
    if (choose) {
      if (mChoose) evidence.evidenceRank = mChoose.rank(chosen.entry);
      if (mValidate && mValidate.top.length >= rule.minTopRows) {
        const rank = mValidate.rank(chosen.entry);
        evidence.auroc = r5(mValidate.auroc(chosen.entry));
        evidence.lift = r5(mValidate.lifts[chosen.entry]);
        evidence.topRows = mValidate.top.length;
        accepted = accepted && rank <= rule.maxEvidenceRank && mValidate.lifts[chosen.entry] > 0;
        evidence.validateRank = rank;
      } else {
        accepted = false;
        if (mValidate) evidence.topRows = mValidate.top.length;
      }
    }
    if (held && accepted) {
      const m = measure(held, j, topRows);
      if (m && m.top.length >= rule.minTopRows) {
        evidence.heldOutRank = m.rank(chosen.entry);
        evidence.heldOutAuroc = r5(m.auroc(chosen.entry));
        evidence.holdsUp = evidence.heldOutRank <= heldOutMaxRank;
        checkable++;
        if (evidence.holdsUp) holdsUp++;
      }
    }
    if (accepted) named++;
    const decision: LatentDecision = {
      index: j,
      name: accepted ? chosen.label : null,
      ...(accepted && sources ? { nameSource: sources[chosen.entry] } : {}),
      candidates,
      evidence,
      summary: '',
    };
    decision.summary = describeDecision(decision, chosen.label, { significant: isSignificant, withData: !!choose, fdr: rule.fdr, maxEvidenceRank: rule.maxEvidenceRank, minTopRows: rule.minTopRows });
    return decision;
  });
  return {
    decisions,
    matches: naming.latents,
    named,
    decoderSignificant: significant,
    pCutoff: cutoff,
    rule,
    vocabularySize: vocabulary.labels.length,
    nullSamples,
    ...(held ? { heldOut: { checkable, holdsUp, maxRank: heldOutMaxRank } } : {}),
  };
}
