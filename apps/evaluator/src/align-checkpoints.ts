import { alignment, decoderOrthogonality } from '@msae/metrics';
import { openCheckpoint, uniqueNames } from './checkpoint-source.js';
import { CliError } from './cli-error.js';

export interface AlignResult {
  checkpoints: Array<{ name: string; dir: string; dSae: number; dIn: number; decoderOrthogonality: number }>;
  /** Mean cosine of the Hungarian one-to-one matching of decoder rows. */
  meanCosine: number;
  /** Fraction of matched pairs with cosine > 0.7. */
  fractionAbove07: number;
  pairs: number;
  seconds: number;
}

/** Seed-stability alignment of two checkpoints' decoders (plus each decoder's orthogonality). */
export async function alignCheckpoints(dir1: string, dir2: string): Promise<AlignResult> {
  const started = performance.now();
  const a = await openCheckpoint(dir1);
  const b = await openCheckpoint(dir2);
  uniqueNames([a, b]);
  const ca = a.checkpoint.config;
  const cb = b.checkpoint.config;
  if (ca.dIn !== cb.dIn) throw new CliError(`${dir2}: d_in = ${cb.dIn} but ${dir1} has d_in = ${ca.dIn}; decoders must live in the same space`);
  const wa = { data: a.checkpoint.params.W_dec, rows: ca.dSae, cols: ca.dIn };
  const wb = { data: b.checkpoint.params.W_dec, rows: cb.dSae, cols: cb.dIn };
  // match the smaller decoder into the larger one (Hungarian on a rectangular cost matrix)
  const result = ca.dSae <= cb.dSae ? alignment(wa, wb) : alignment(wb, wa);
  return {
    checkpoints: [
      { name: a.name, dir: dir1, dSae: ca.dSae, dIn: ca.dIn, decoderOrthogonality: decoderOrthogonality(wa) },
      { name: b.name, dir: dir2, dSae: cb.dSae, dIn: cb.dIn, decoderOrthogonality: decoderOrthogonality(wb) },
    ],
    meanCosine: result.meanCosine,
    fractionAbove07: result.fractionAbove07,
    pairs: result.pairs,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Markdown table of an alignment result. */
export function alignTable(r: AlignResult): string {
  const [a, b] = r.checkpoints;
  return [
    '| metric | value |',
    '| --- | ---: |',
    `| matched pairs (Hungarian, by cosine) | ${r.pairs} |`,
    `| mean matched cosine | ${r.meanCosine.toFixed(4)} |`,
    `| fraction of pairs with cosine > 0.7 | ${r.fractionAbove07.toFixed(4)} |`,
    `| decoder orthogonality ${a.name} | ${a.decoderOrthogonality.toExponential(3)} |`,
    `| decoder orthogonality ${b.name} | ${b.decoderOrthogonality.toExponential(3)} |`,
  ].join('\n');
}
