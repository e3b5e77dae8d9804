/** concept -> every latent that carries it, for steer and search: named (--names) + decoder-aligned (--vocab, --align). */
import type { ConceptLatentSet, SaeModel } from '@msae/analysis';
import type { Matrix } from '@msae/core';
import type { NamedLatents } from '@msae/concepts';

export interface ConceptMapper {
  /** The latents carrying a concept (undefined: not resolvable here, fall back to the naming result). */
  latentsOf: (concept: string) => number[] | undefined;
  /** The mappings made so far, for the report. */
  sets: Map<string, ConceptLatentSet>;
  /** The concept's text direction (undefined without --vocab or for a concept not in it). */
  directionOf: (concept: string) => Float32Array | undefined;
}

export async function conceptMapper(model: SaeModel, naming: NamedLatents | undefined, vocabulary: { labels: string[]; embeddings: Matrix } | undefined, threshold: number): Promise<ConceptMapper> {
  const { conceptDirection, conceptLatentSet } = await import('@msae/analysis');
  const sets = new Map<string, ConceptLatentSet>();
  const directions = new Map<string, Float32Array | undefined>();
  const directionOf = (concept: string) => {
    if (!vocabulary) return undefined;
    if (!directions.has(concept)) {
      const known = vocabulary.labels.some((l) => l.trim().toLowerCase() === concept.trim().toLowerCase());
      directions.set(concept, known ? conceptDirection(vocabulary, concept) : undefined);
    }
    return directions.get(concept);
  };
  const latentsOf = (concept: string) => {
    const direction = directionOf(concept);
    if (!direction) return undefined;
    let set = sets.get(concept);
    if (!set) {
      set = conceptLatentSet({ decoder: { data: model.params.W_dec, rows: model.dSae, cols: model.dIn }, direction, concept, naming, threshold });
      sets.set(concept, set);
    }
    return set.carriers.map((c) => c.latent);
  };
  return { latentsOf, sets, directionOf };
}
