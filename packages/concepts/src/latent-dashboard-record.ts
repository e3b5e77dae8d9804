/**
 * The per-latent dashboard record: everything a researcher needs to judge one latent, named or not.
 * Plain JSON (numbers, strings, arrays, null): `msae-eval latents` writes an array of these
 * (`latents.json`), the playground's latent page renders the same records.
 */

/** One data row shown on a dashboard. */
export interface DashboardExample {
  /** Row index in the data file (the representative of its near-duplicate group). */
  row: number;
  /** The latent's activation on the row. */
  activation: number;
  /** Rows in the data that are near-identical to this one (1 = unique). */
  duplicates: number;
  /** The row's label (--labels), when given. */
  label?: string;
  /** The row's source (e.g. the data set it came from), when given. */
  source?: string;
  /** The zero-shot class of the row (--classifier), when given. */
  zeroShot?: string;
}

/** Examples whose activation lies in one quantile band of the latent's active rows. */
export interface DashboardQuantileBand {
  /** Band [from, to) as quantiles of the active rows' activations (0 = smallest, 1 = largest). */
  from: number;
  to: number;
  /** Activation range of the band. */
  minActivation: number;
  maxActivation: number;
  examples: DashboardExample[];
}

/**
 * Histogram of the latent's activations over its active rows: bins over log10(activation), so that
 * weak and strong activations both show; render counts on a log axis.
 */
export interface DashboardHistogram {
  /** Bin edges in log10(activation), length bins + 1. */
  log10Edges: number[];
  /** Active rows per bin. */
  counts: number[];
}

/** A concept proposed for the latent, with what supports it. */
export interface DashboardCandidate {
  label: string;
  /** The vocabulary it came from when several were merged. */
  source?: string;
  /** Cosine of the decoder direction with the (centred) concept embedding. */
  decoderScore: number;
  /** P(best score of a null direction >= decoderScore): how rare this match is for a direction with no concept. */
  pValue: number;
  /** Rank of the concept among the whole vocabulary by data evidence (1 = best), when data was given. */
  evidenceRank?: number;
  /** AUROC of cos(row, concept) separating the latent's top rows from the rest (choose half), with data. */
  auroc?: number;
  /** mean cos(top rows, concept) - mean cos(all rows, concept), with data. */
  lift?: number;
}

/** The numbers behind a name (or behind the refusal to name). */
export interface DashboardEvidence {
  /** Decoder match of the chosen (or best) concept. */
  decoderScore: number;
  pValue: number;
  /** Benjamini-Hochberg adjusted p-value over all latents (of the chosen concept's p; never below the latent's own q). */
  qValue: number;
  /** Decoder rank of the chosen concept among the vocabulary (1 = decoder argmax). */
  decoderRank: number;
  vocabularySize: number;
  /** With data: rank of the concept by evidence on the choose half (1 = best of the vocabulary). */
  evidenceRank?: number;
  /** With data: rank of the concept by lift on the validate half (rows not used to choose it). */
  validateRank?: number;
  /** With data: AUROC and lift on the validate half (rows not used to choose the concept). */
  auroc?: number;
  lift?: number;
  /** With data: top rows the evidence used (deduplicated) on the validate half. */
  topRows?: number;
  /** With a held-out file: the concept's evidence rank there and whether it holds up. */
  heldOutRank?: number;
  heldOutAuroc?: number;
  holdsUp?: boolean;
}

/** The dashboard of one latent. */
export interface LatentDashboard {
  index: number;
  /** Nesting level (0 = the coarsest prefix) of a Matryoshka SAE, null otherwise. */
  level: number | null;
  /** Size of the smallest nested prefix holding the latent, null for a flat SAE. */
  prefix: number | null;
  /** For a fine latent: the coarser latent it co-activates with most, P(parent active | this active). */
  parent: { index: number; name: string | null; coactivation: number } | null;
  /** Fraction of data rows (near-duplicates collapsed) where the latent is active; null without data. */
  frequency: number | null;
  /** Active rows (deduplicated). */
  activeRows: number;
  histogram: DashboardHistogram | null;
  /** Highest activations, near-duplicates collapsed (see `duplicates`). */
  top: DashboardExample[];
  /** Examples across activation quantiles, lowest band first. */
  quantiles: DashboardQuantileBand[];
  /** Latents with the most similar decoder directions. */
  nearest: { index: number; cosine: number; name: string | null }[];
  /** Accepted name, or null. */
  name: string | null;
  /** Source vocabulary of the name when several were merged. */
  nameSource?: string;
  candidates: DashboardCandidate[];
  evidence: DashboardEvidence | null;
  /** The evidence in plain words (one or two sentences). */
  summary: string;
}

/** What `msae-eval latents` writes as latents.json: the records plus what they were computed from. */
export interface LatentDashboardSet {
  checkpoint: string;
  vocabulary: { size: number; sources: string[] };
  /** The data behind frequencies and examples. */
  data: { file: string; rows: number; duplicateRows: number; distinctRows: number } | null;
  /** Nested prefix sizes (Matryoshka), empty for a flat SAE. */
  nesting: number[];
  /** The acceptance rule used. */
  rule: { fdr: number; minAuroc?: number; maxEvidenceRank?: number };
  named: number;
  latents: LatentDashboard[];
}
