/** Which CLIP model an embedding file or a vocabulary is from, when its name says so. */
export function clipModelOf(text: string | undefined): string | null {
  if (!text) return null;
  const t = text.toLowerCase();
  if (/vit-?b-?32|base-patch32/.test(t)) return 'ViT-B/32';
  if (/vit-?b-?16|base-patch16/.test(t)) return 'ViT-B/16';
  if (/vit-?l-?14|large-patch14/.test(t)) return 'ViT-L/14';
  return null;
}

/**
 * Why a vocabulary cannot name a checkpoint (one line), or null when it can: a real-world vocabulary
 * for the synthetic demo, a different width, or a vocabulary of another CLIP model than the data.
 */
export function vocabularyMismatch(v: { name: string; dim: number; model: string | null; demo: boolean }, c: { name: string; dIn: number; dataModel: string | null; demo: boolean }): string | null {
  if (c.demo && !v.demo) {
    return `${c.name} was trained on the built-in SYNTHETIC demo data, which has no real-world content: ${v.name} would give it made-up names (the demo's planted concept vocabulary is used by default)`;
  }
  if (v.dim !== c.dIn) return `${v.name} holds ${v.dim}-d embeddings but ${c.name} has d_in ${c.dIn} (a vocabulary of another CLIP model)`;
  if (v.model && c.dataModel && v.model !== c.dataModel) return `${v.name} is a CLIP ${v.model} vocabulary but ${c.name} was trained on CLIP ${c.dataModel} embeddings`;
  return null;
}
