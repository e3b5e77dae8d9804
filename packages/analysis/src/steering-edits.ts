import { latentsForConcept, type NamedLatents } from '@msae/concepts';
import { AnalysisError, UnknownConceptError } from './errors.js';

/** One edit of a code: z' = value (set), z * value (scale) or z + value (add). */
export type EditOp = 'set' | 'scale' | 'add';

/** An edit addressed to a latent index or to a concept name (resolved through a naming result). */
export interface Edit {
  target: number | string;
  op: EditOp;
  value: number;
}

/** An edit resolved to one latent. */
export interface LatentEdit {
  latent: number;
  op: EditOp;
  value: number;
  /** The concept the edit was addressed to, when it was. */
  concept?: string;
}

/**
 * Parse "TARGET=VALUE" (set), "TARGET=*X" or "TARGET*=X" (scale), "TARGET=+X" or "TARGET+=X" (add),
 * "TARGET-=X" (add -X). TARGET is a latent index (digits) or a concept name.
 */
export function parseEdit(text: string): Edit {
  const m = /^(.+?)\s*(\*=|\+=|-=|=\*|=\+|=)\s*(.+)$/.exec(text.trim());
  if (!m) throw new AnalysisError(`edit "${text}": expected TARGET=VALUE, TARGET=*X or TARGET=+X (TARGET a latent index or a concept name)`);
  const [, rawTarget, sign, rawValue] = m;
  const value = Number(rawValue);
  if (rawValue.trim() === '' || !Number.isFinite(value)) throw new AnalysisError(`edit "${text}": "${rawValue}" is not a number`);
  const target = /^\d+$/.test(rawTarget.trim()) ? Number(rawTarget) : rawTarget.trim();
  if (target === '') throw new AnalysisError(`edit "${text}": missing latent or concept`);
  if (sign === '=') return { target, op: 'set', value };
  if (sign === '*=' || sign === '=*') return { target, op: 'scale', value };
  return { target, op: 'add', value: sign === '-=' ? -value : value };
}

/**
 * Resolve edits to latents: an index is checked against dSae; a concept name becomes one edit per latent
 * named with it (every latent a concept maps to), through the naming result.
 */
export function resolveEdits(edits: readonly Edit[], dSae: number, naming?: NamedLatents): LatentEdit[] {
  const out: LatentEdit[] = [];
  for (const e of edits) {
    if (typeof e.target === 'number') {
      if (!Number.isInteger(e.target) || e.target < 0 || e.target >= dSae) {
        throw new AnalysisError(`edit of latent ${e.target}: the SAE has latents 0..${dSae - 1}`);
      }
      out.push({ latent: e.target, op: e.op, value: e.value });
      continue;
    }
    if (!naming) throw new AnalysisError(`edit of concept "${e.target}" needs a naming result (names.json from msae-eval name)`);
    const latents = conceptLatents(naming, e.target);
    for (const latent of latents) out.push({ latent, op: e.op, value: e.value, concept: e.target });
  }
  return out;
}

/** The latents named with `concept` (case-insensitive); UnknownConceptError when there is none. */
export function conceptLatents(naming: NamedLatents, concept: string): number[] {
  const latents = latentsForConcept(naming, concept).map((l) => l.index);
  if (latents.length === 0) throw new UnknownConceptError(concept);
  return latents;
}

/** z' for one code under one edit. */
export function applyEdit(z: number, op: EditOp, value: number): number {
  if (op === 'set') return value;
  if (op === 'scale') return z * value;
  return z + value;
}
