import { latentsForConcept, type NamedLatents } from '@msae/concepts';
import { AnalysisError, UnknownConceptError } from './errors.js';
import { rawStrength, type LatentScales, type StrengthUnit } from './latent-scales.js';

/** One edit of a code: z' = value (set), z * value (scale) or z + value (add). */
export type EditOp = 'set' | 'scale' | 'add';

/** An edit addressed to a latent index or to a concept name (resolved through a naming result). */
export interface Edit {
  target: number | string;
  op: EditOp;
  value: number;
  /** Unit of `value` for set/add (default raw code units); a quantile is 0..1. */
  unit?: StrengthUnit;
}

/** An edit resolved to one latent. */
export interface LatentEdit {
  latent: number;
  op: EditOp;
  value: number;
  /** The concept the edit was addressed to, when it was. */
  concept?: string;
  /** The strength as given, when in data units (value is then the resolved raw code value). */
  strength?: { amount: number; unit: StrengthUnit };
}

/**
 * Parse "TARGET=VALUE" (set), "TARGET=*X" or "TARGET*=X" (scale), "TARGET=+X" or "TARGET+=X" (add),
 * "TARGET-=X" (add -X). TARGET is a latent index (digits) or a concept name. For set and add, VALUE may
 * carry a data unit: "2typ" (2 x the latent's median activation), "1max" (its largest observed activation),
 * "p90" (its 90th percentile); "=0" ablates.
 */
export function parseEdit(text: string): Edit {
  const m = /^(.+?)\s*(\*=|\+=|-=|=\*|=\+|=)\s*(.+)$/.exec(text.trim());
  if (!m) throw new AnalysisError(`edit "${text}": expected TARGET=VALUE, TARGET=*X or TARGET=+X (TARGET a latent index or a concept name)`);
  const [, rawTarget, sign, rawValue] = m;
  const target = /^\d+$/.test(rawTarget.trim()) ? Number(rawTarget) : rawTarget.trim();
  if (target === '') throw new AnalysisError(`edit "${text}": missing latent or concept`);
  const op: EditOp = sign === '=' ? 'set' : sign === '*=' || sign === '=*' ? 'scale' : 'add';
  const { value, unit } = parseStrength(rawValue.trim(), text, op);
  const signed = sign === '-=' ? -value : value;
  return unit === 'raw' ? { target, op, value: signed } : { target, op, value: signed, unit };
}

function parseStrength(raw: string, text: string, op: EditOp): { value: number; unit: StrengthUnit } {
  const q = /^[pP](\d+(?:\.\d+)?)$/.exec(raw);
  if (q) {
    const p = Number(q[1]);
    if (op === 'scale') throw new AnalysisError(`edit "${text}": a scale factor has no unit`);
    if (p > 100) throw new AnalysisError(`edit "${text}": percentile ${p} is above 100`);
    return { value: p / 100, unit: 'quantile' };
  }
  const u = /^(.*?)(typ|max)$/.exec(raw);
  const number = u ? u[1] : raw;
  const value = Number(number);
  if (number.trim() === '' || !Number.isFinite(value)) throw new AnalysisError(`edit "${text}": "${raw}" is not a number (or NUMBERtyp, NUMBERmax, pNN)`);
  if (u && op === 'scale') throw new AnalysisError(`edit "${text}": a scale factor has no unit`);
  return { value, unit: u ? (u[2] === 'typ' ? 'typical' : 'max') : 'raw' };
}

/**
 * Resolve edits to latents: an index is checked against dSae; a concept name becomes one edit per latent
 * named with it (every latent a concept maps to), through the naming result.
 */
export function resolveEdits(edits: readonly Edit[], dSae: number, naming?: NamedLatents, options: ResolveOptions = {}): LatentEdit[] {
  const out: LatentEdit[] = [];
  for (const e of edits) {
    if (typeof e.target === 'number') {
      if (!Number.isInteger(e.target) || e.target < 0 || e.target >= dSae) {
        throw new AnalysisError(`edit of latent ${e.target}: the SAE has latents 0..${dSae - 1}`);
      }
      out.push(withUnit({ latent: e.target, op: e.op, value: e.value }, e, options.scales));
      continue;
    }
    const mapped = options.conceptLatents?.(e.target);
    if (!mapped && !naming) throw new AnalysisError(`edit of concept "${e.target}" needs a naming result (names.json from msae-eval name)`);
    const latents = mapped ?? conceptLatents(naming!, e.target);
    if (latents.length === 0) throw new UnknownConceptError(e.target);
    for (const latent of latents) out.push(withUnit({ latent, op: e.op, value: e.value, concept: e.target }, e, options.scales));
  }
  return out;
}

export interface ResolveOptions {
  /** Activation scales: needed for strengths in data units (typ, max, pNN). */
  scales?: LatentScales;
  /** concept -> every latent that carries it (e.g. conceptLatentSet: named + decoder-aligned); default: the named ones. */
  conceptLatents?: (concept: string) => number[] | undefined;
}

function withUnit(edit: LatentEdit, e: Edit, scales?: LatentScales): LatentEdit {
  if (!e.unit || e.unit === 'raw') return edit;
  if (!scales) throw new AnalysisError(`edit of ${typeof e.target === 'number' ? `latent ${e.target}` : `"${e.target}"`} in ${e.unit} units needs the latents' activation scales (reference data)`);
  const sign = Math.sign(e.value) || 1;
  const raw = e.unit === 'quantile' ? sign * rawStrength(scales, edit.latent, { amount: Math.abs(e.value), unit: 'quantile' }) : rawStrength(scales, edit.latent, { amount: e.value, unit: e.unit });
  return { ...edit, value: raw, strength: { amount: e.value, unit: e.unit } };
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
