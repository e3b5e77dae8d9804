/** The fields of a naming result the lookup needs (a NamingResult or the CLI's JSON report). */
export interface NamedLatents {
  latents: ReadonlyArray<{ index: number; name: string | null; score: number; margin: number; z: number; candidates: ReadonlyArray<{ label: string }> }>;
}

/** A latent that carries a concept, with how sure the naming is. */
export interface ConceptLatent {
  index: number;
  score: number;
  margin: number;
  z: number;
  /** Whether the latent is named with this concept (false: the concept is only its best guess). */
  named: boolean;
}

/** Lower-cased, trimmed, single-spaced form used to match concept queries. */
export function conceptKey(concept: string): string {
  return concept.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * concept -> latents: every named latent under its name; with `includeGuesses`, unnamed latents too
 * under their best guess. Latents within a concept are sorted by z-score, most confident first.
 */
export function conceptIndex(
  result: NamedLatents,
  options: { includeGuesses?: boolean } = {},
): Map<string, ConceptLatent[]> {
  const index = new Map<string, ConceptLatent[]>();
  for (const l of result.latents) {
    const label = l.name ?? (options.includeGuesses ? l.candidates[0]?.label : undefined);
    if (label === undefined) continue;
    const key = conceptKey(label);
    let list = index.get(key);
    if (!list) index.set(key, (list = []));
    list.push({ index: l.index, score: l.score, margin: l.margin, z: l.z, named: l.name !== null });
  }
  for (const list of index.values()) list.sort((a, b) => b.z - a.z || a.index - b.index);
  return index;
}

/** The latents carrying `concept` (case- and whitespace-insensitive), most confident first. */
export function latentsForConcept(
  result: NamedLatents,
  concept: string,
  options: { includeGuesses?: boolean } = {},
): ConceptLatent[] {
  return conceptIndex(result, options).get(conceptKey(concept)) ?? [];
}
