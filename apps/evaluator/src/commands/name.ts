/**
 * `msae-eval name`: name a checkpoint's latents from calibrated evidence (decoder test against a null
 * model with false-discovery control; with --data, concept chosen and validated on separate halves;
 * with --held-out, how many names hold up on rows never used) and report every number behind a name.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { type Column, formatTable } from '@msae/cli-kit';
import { conceptIndex, type DashboardEvidence, latentsForConcept, nestingLevel } from '@msae/concepts';
import { addNamingOptions, pipelineOptions } from './naming-options.js';
import { type NamingPipelineResult, runNamingPipeline } from './naming-pipeline.js';

/** One latent in names.json / --json. */
export interface NamedLatentRecord {
  index: number;
  name: string | null;
  /** Vocabulary the name came from (merged vocabularies). */
  source?: string;
  /** Decoder cosine of the best concept, its lead over the runner-up, its z over the vocabulary. */
  score: number;
  margin: number;
  z: number;
  candidates: { label: string; score: number; pValue: number; source?: string; evidenceRank?: number }[];
  level?: number;
  parent?: { index: number; name: string | null; coactivation: number };
  /** With --data: share of distinct rows where the latent fires. */
  frequency?: number;
  evidence: DashboardEvidence | null;
  summary: string;
}

export interface NameReport {
  latents: NamedLatentRecord[];
  named: number;
  /** Latents whose decoder match passes the FDR test. */
  decoderSignificant: number;
  rule: { fdr: number; maxEvidenceRank?: number; minTopRows?: number; pCutoff: number; nullSamples: number };
  mapping: string;
  vocabulary: { size: number; sources: string[] };
  checkpoint: string;
  data?: { file: string; rows: number; duplicateRows: number; distinctRows: number; largestGroup: number };
  heldOut?: { file: string; rows: number; overlapWithData: number; checkable: number; holdsUp: number; maxRank: number; agreement: number };
  seconds: { total: number };
}

const r = (x: number, d = 5) => Number(x.toFixed(d));

/** The JSON report of a pipeline run. */
export function nameReport(p: NamingPipelineResult, checkpoint: string, mapping: string): NameReport {
  const { naming } = p;
  const nesting = p.checkpoint.config.nesting;
  const freq = p.data
    ? (j: number) => {
        const seen = new Set<number>();
        const { columns, duplicates } = p.data!;
        for (let q = columns.colStart[j]; q < columns.colStart[j + 1]; q++) seen.add(duplicates.representative[columns.row[q]]);
        return r(seen.size / duplicates.distinctRows, 6);
      }
    : undefined;
  const latents = naming.decisions.map((d, j): NamedLatentRecord => {
    const m = naming.matches[j];
    const rec: NamedLatentRecord = {
      index: j,
      name: d.name,
      ...(d.nameSource ? { source: d.nameSource } : {}),
      score: r(m.score),
      margin: r(m.margin),
      z: r(m.z, 3),
      candidates: d.candidates.map((c) => ({ label: c.label, score: c.decoderScore, pValue: c.pValue, ...(c.source ? { source: c.source } : {}), ...(c.evidenceRank !== undefined ? { evidenceRank: c.evidenceRank } : {}) })),
      evidence: d.evidence,
      summary: d.summary,
    };
    if (nesting.length > 1) rec.level = nestingLevel(j, nesting)?.level;
    const parent = p.parents?.[j];
    if (parent) rec.parent = { index: parent.index, name: naming.decisions[parent.index].name, coactivation: r(parent.coactivation, 4) };
    if (freq) rec.frequency = freq(j);
    return rec;
  });
  const h = naming.heldOut;
  return {
    latents,
    named: naming.named,
    decoderSignificant: naming.decoderSignificant,
    rule: { fdr: naming.rule.fdr, ...(p.data ? { maxEvidenceRank: naming.rule.maxEvidenceRank, minTopRows: naming.rule.minTopRows } : {}), pCutoff: naming.pCutoff, nullSamples: naming.nullSamples },
    mapping,
    vocabulary: { size: p.vocabulary.labels.length, sources: p.vocabularySources },
    checkpoint,
    ...(p.data ? { data: { file: p.data.file, rows: p.data.matrix.rows, duplicateRows: p.data.duplicates.duplicateRows, distinctRows: p.data.duplicates.distinctRows, largestGroup: p.data.duplicates.largestGroup } } : {}),
    ...(p.heldOut && h
      ? { heldOut: { file: p.heldOut.file, rows: p.heldOut.matrix.rows, overlapWithData: p.heldOut.overlap, checkable: h.checkable, holdsUp: h.holdsUp, maxRank: h.maxRank, agreement: h.checkable ? r(h.holdsUp / h.checkable, 4) : 0 } }
      : {}),
    seconds: { total: r(p.seconds.total, 3) },
  };
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** Markdown tables of latents (named ones, or all), grouped by nesting level, with the evidence numbers. */
export function formatNameTable(report: NameReport, show: 'named' | 'all', concept?: string): string {
  const num = (v: number | undefined, digits: number) => (v === undefined ? '' : v.toFixed(digits));
  const withData = report.data !== undefined;
  const columns: Column<NamedLatentRecord>[] = [
    { header: 'latent', cell: (l) => String(l.index) },
    { header: 'name', align: 'left', cell: (l) => (l.name === null ? '-' : escapeCell(l.name)) },
    { header: 'parent', align: 'left', cell: (l) => (l.parent ? `${l.parent.index}${l.parent.name ? ` ${escapeCell(l.parent.name)}` : ''}` : '') },
    { header: 'cos', cell: (l) => num(l.evidence?.decoderScore, 3) },
    { header: 'p', cell: (l) => (l.evidence ? l.evidence.pValue.toPrecision(2) : '') },
    { header: 'q', cell: (l) => (l.evidence ? l.evidence.qValue.toPrecision(2) : '') },
    ...(withData
      ? [
          { header: 'freq', cell: (l: NamedLatentRecord) => num(l.frequency, 4) },
          { header: 'rank (validate)', cell: (l: NamedLatentRecord) => String(l.evidence?.validateRank ?? '') },
          { header: 'AUROC', cell: (l: NamedLatentRecord) => num(l.evidence?.auroc, 2) },
          { header: 'lift', cell: (l: NamedLatentRecord) => num(l.evidence?.lift, 3) },
        ]
      : []),
    ...(report.heldOut ? [{ header: 'held-out rank', cell: (l: NamedLatentRecord) => String(l.evidence?.heldOutRank ?? '') }] : []),
    { header: 'candidates', align: 'left', cell: (l) => escapeCell(l.candidates.slice(0, 3).map((c) => c.label).join(', ')) },
  ];
  const rows =
    concept === undefined
      ? report.latents.filter((l) => show === 'all' || l.name !== null)
      : latentsForConcept(report, concept, { includeGuesses: true }).map((c) => report.latents[c.index]);
  const groups = new Map<number | undefined, NamedLatentRecord[]>();
  for (const l of rows) groups.set(l.level, [...(groups.get(l.level) ?? []), l]);
  const lines: string[] = [];
  for (const [level, list] of [...groups.entries()].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))) {
    if (level !== undefined) lines.push(`level ${level}`, '');
    lines.push(formatTable(columns, list), '');
  }
  const rule = report.rule;
  const dataRule = rule.maxEvidenceRank !== undefined ? `; with data: rank <= ${rule.maxEvidenceRank} of the vocabulary by lift on the validate half` : '';
  lines.push(
    `named ${report.named} of ${report.latents.length} latents (${report.decoderSignificant} pass the decoder test at FDR ${rule.fdr}${dataRule}; vocabulary ${report.vocabulary.size} concepts from ${report.vocabulary.sources.join(', ')})`,
  );
  if (report.heldOut) {
    const h = report.heldOut;
    lines.push(`held-out check on ${h.file}: ${h.holdsUp} of ${h.checkable} checkable names hold up (${(100 * h.agreement).toFixed(1)}%: the name ranks <= ${h.maxRank} of the vocabulary by lift on the latent's top held-out rows)`);
  }
  return lines.join('\n');
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const { writeFileAtomic } = await import('@msae/io');
  await writeFileAtomic(file, [new TextEncoder().encode(text)]);
}

export interface NameCommandOptions {
  show: 'named' | 'all';
  concept?: string;
  json?: boolean;
  out?: string;
}

/** Name the latents of a checkpoint; logs go to `log` (stderr in the CLI). */
export async function runName(raw: Record<string, unknown>, log: (m: string) => void = () => undefined): Promise<NameReport> {
  const opts = pipelineOptions(raw);
  const out = raw.out as string | undefined;
  if (out) {
    const { checkOutputPath } = await import('@msae/io');
    await checkOutputPath(out, { kind: 'directory', createsParents: true });
  }
  const result = await runNamingPipeline(opts, log);
  const report = nameReport(result, opts.checkpoint, opts.mapping);
  log(`named ${report.named} of ${report.latents.length} latents (${report.decoderSignificant} pass the decoder test) in ${report.seconds.total.toFixed(1)} s`);
  if (out) {
    await mkdir(out, { recursive: true });
    const concepts = Object.fromEntries([...conceptIndex(report).entries()].map(([c, ls]) => [c, ls.map((l) => ({ index: l.index, z: l.z, margin: l.margin }))]));
    await writeAtomic(join(out, 'names.json'), `${JSON.stringify(report)}\n`);
    await writeAtomic(join(out, 'concepts.json'), `${JSON.stringify(concepts, null, 1)}\n`);
    await writeAtomic(join(out, 'names.md'), `# Latent names: ${opts.checkpoint}\n\n${formatNameTable(report, 'named')}\n`);
    log(`wrote names.json, concepts.json and names.md to ${out}`);
  }
  return report;
}

/** Adds `name` to the msae-eval program. */
export function registerNameCommand(program: Command): void {
  addNamingOptions(
    program
      .command('name')
      .description('name latents from calibrated evidence: decoder match against a null model (FDR-controlled) and, with --data, held-out data evidence'),
  )
    .option('--show <named|all>', 'latents in the stdout table', (v: string) => {
      if (v !== 'named' && v !== 'all') throw new InvalidArgumentError('--show must be named or all');
      return v;
    }, 'named')
    .option('--concept <text>', 'show only the latents carrying this concept (named, or as best guess)')
    .option('--json', 'print the result as one JSON object on the last stdout line')
    .option('--out <dir>', 'write names.json, concepts.json and names.md here')
    .action(async (raw: Record<string, unknown> & NameCommandOptions) => {
      const log = (m: string) => process.stderr.write(`${m}\n`);
      try {
        const report = await runName(raw, log);
        if (raw.json) {
          const concept = raw.concept === undefined ? {} : { concept: { query: raw.concept, latents: latentsForConcept(report, raw.concept, { includeGuesses: true }) } };
          process.stdout.write(`${JSON.stringify({ ...report, ...concept })}\n`);
        } else {
          process.stdout.write(`${formatNameTable(report, raw.show, raw.concept)}\n`);
        }
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`msae-eval name: ${message.split('\n')[0]}\n`);
        process.exitCode = 1;
      }
    });
}
