import type { LatentName, NamingResult } from '@msae/concepts';

const f2 = (v: number) => v.toFixed(2);
const f3 = (v: number) => v.toFixed(3);

/**
 * The evidence for a latent's name in plain words: what was compared, how far ahead the name is (margin)
 * and how unusual the match is for this latent (z), against the thresholds that decide "named".
 */
export function nameEvidence(l: LatentName, naming: NamingResult, vocabularyName: string): string[] {
  const best = l.candidates[0];
  const runnerUp = l.candidates[1];
  const t = naming.thresholds;
  const lines: string[] = [];
  if (!best) return ['No concept was compared (empty vocabulary).'];
  lines.push(
    `The latent's decoder direction was compared with the CLIP text embeddings of ${naming.vocabularySize.toLocaleString('en')} concepts (${vocabularyName})${naming.centeredVocabulary ? ', after removing the direction all text embeddings share' : ''}; "${best.label}" is the closest, cosine ${f3(best.score)}.`,
  );
  lines.push(
    runnerUp
      ? `The runner-up, "${runnerUp.label}", is ${f3(l.margin)} behind (the margin; at least ${t.minMargin} is needed, so near-ties stay unnamed).`
      : `There is no distinct runner-up; the margin ${f3(l.margin)} is measured against the average concept.`,
  );
  lines.push(`The match is ${f2(l.z)} standard deviations above this latent's average cosine over all concepts (the z-score; at least ${t.minZ} is needed).`);
  lines.push(
    l.name
      ? `So the latent is named "${l.name}". A cosine near 0.2-0.4 is typical for a good match between an image direction and a text; the margin and z say how clear the choice is.`
      : `So the latent is left unnamed${l.z < t.minZ ? ' (z too low)' : ''}${l.margin < t.minMargin ? ' (margin too small)' : ''}; "${best.label}" is only a guess. Look at its examples before trusting it.`,
  );
  return lines;
}
