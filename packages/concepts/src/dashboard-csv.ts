import type { LatentDashboard } from './latent-dashboard-record.js';

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
function field(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const COLUMNS: [string, (d: LatentDashboard) => unknown][] = [
  ['latent', (d) => d.index],
  ['level', (d) => d.level],
  ['prefix', (d) => d.prefix],
  ['name', (d) => d.name],
  ['name_source', (d) => d.nameSource],
  ['parent', (d) => d.parent?.index],
  ['parent_name', (d) => d.parent?.name],
  ['parent_coactivation', (d) => d.parent?.coactivation],
  ['frequency', (d) => d.frequency],
  ['active_rows', (d) => d.activeRows],
  ['best_concept', (d) => d.candidates[0]?.label],
  ['decoder_score', (d) => d.evidence?.decoderScore],
  ['p_value', (d) => d.evidence?.pValue],
  ['q_value', (d) => d.evidence?.qValue],
  ['decoder_rank', (d) => d.evidence?.decoderRank],
  ['evidence_rank', (d) => d.evidence?.evidenceRank],
  ['validate_rank', (d) => d.evidence?.validateRank],
  ['auroc', (d) => d.evidence?.auroc],
  ['lift', (d) => d.evidence?.lift],
  ['held_out_rank', (d) => d.evidence?.heldOutRank],
  ['holds_up', (d) => d.evidence?.holdsUp],
  ['top_rows', (d) => d.top.map((e) => e.row).join(' ')],
  ['candidates', (d) => d.candidates.map((c) => c.label).join('; ')],
  ['nearest', (d) => d.nearest.map((n) => n.index).join(' ')],
  ['summary', (d) => d.summary],
];

/** The dashboards as CSV, one latent per line (lists inside a field are space- or ;-separated). */
export function dashboardsToCsv(latents: LatentDashboard[]): string {
  const lines = [COLUMNS.map(([h]) => h).join(',')];
  for (const d of latents) lines.push(COLUMNS.map(([, get]) => field(get(d))).join(','));
  return `${lines.join('\n')}\n`;
}
