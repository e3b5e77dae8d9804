/**
 * Checkpoint I/O of the extra trained tensors an architecture declares (ArchitectureDefinition.extraTensors):
 * readers and writers call these and never name an architecture.
 */
import type { ExtraTensor } from './architecture.js';
import { getArchitecture, isArchitecture } from './registry.js';

/** Safetensors tensors by name. */
export type NamedTensors = Record<string, { shape: number[]; data: Float32Array }>;

/** The extra trained tensors of an architecture (none for an absent or unknown one). */
export function extraTensorsOf(architecture: string | undefined): readonly ExtraTensor[] {
  return isArchitecture(architecture) ? (getArchitecture(architecture).extraTensors ?? []) : [];
}

/** Every tensor name the architecture's extra tensors may have in a file (all layouts). */
export function extraTensorFileNames(architecture: string | undefined): string[] {
  return extraTensorsOf(architecture).flatMap((e) => e.layouts.map((l) => l.tensor));
}

/** The file tensors of the parameters' extra tensors, each in its first (written) layout; `fail` makes the error. */
export function writeExtraTensors(config: { architecture?: string; dSae: number }, params: object, fail: (message: string) => Error): NamedTensors {
  const out: NamedTensors = {};
  for (const extra of extraTensorsOf(config.architecture)) {
    const value = (params as Record<string, unknown>)[extra.param];
    if (!(value instanceof Float32Array) || value.length !== config.dSae) throw fail(`${extra.param} must be a Float32Array of shape [${config.dSae}] (${extra.description})`);
    const layout = extra.layouts[0];
    out[layout.tensor] = { shape: [config.dSae], data: layout.write ? layout.write(value) : value };
  }
  return out;
}

/** The extra parameters from file tensors, each from its first layout present; missing, misshapen or out of range: `fail`. */
export function readExtraTensors(config: { architecture?: string; dSae: number }, tensors: NamedTensors, fail: (message: string) => Error): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const extra of extraTensorsOf(config.architecture)) {
    const layout = extra.layouts.find((l) => tensors[l.tensor] !== undefined);
    if (!layout) throw fail(`missing tensor '${extra.layouts[0].tensor}' (${extra.description})`);
    const t = tensors[layout.tensor];
    if (t.shape.length !== 1 || t.shape[0] !== config.dSae) throw fail(`tensor '${layout.tensor}' has shape [${t.shape.join(', ')}], expected [${config.dSae}] (d_sae)`);
    const value = layout.read ? layout.read(t.data) : t.data;
    if (!value) throw fail(`tensor '${layout.tensor}' must be ${layout.requires ?? 'in range'} (${extra.description})`);
    out[extra.param] = value;
  }
  return out;
}
