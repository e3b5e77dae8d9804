import { type ActivationKind, type SaeConfig, UnsupportedArchitectureError, getArchitecture } from '@msae/core';
import { WebGpuInputError } from './errors.js';
import { MAX_LEVELS } from './kernels/prelude.js';

/**
 * The selection mode of the kernels for each training activation (see @msae/core's ActivationKind): 0 = per-row nested
 * TopK over the nesting list (relu: one level of d_sae), 1 = batch TopK of k*B; null = no kernel.
 */
const SELECTION_MODE: Readonly<Record<ActivationKind, 0 | 1 | null>> = {
  relu: 0,
  'row-topk': 0,
  'nested-row-topk': 0,
  'batch-topk': 1,
  'batch-topk-prefix': null,
  jumprelu: null,
};

/** The kernels' selection mode of a config checkWebGpuConfig accepts. */
export function selectionMode(config: Pick<SaeConfig, 'architecture'>): 0 | 1 {
  return SELECTION_MODE[getArchitecture(config.architecture).activation.train] ?? 0;
}

/** Engines that run every architecture, suggested when the webgpu engine refuses one. */
const ALTERNATIVES = ['tfjs-wasm', 'tfjs-cpu', 'reference'];

/**
 * Throws for a config the webgpu kernels cannot run: UnsupportedArchitectureError (a ConfigError) for jumprelu
 * (no threshold kernels), WebGpuInputError for AuxK, the prefix-group activation and too many levels.
 */
export function checkWebGpuConfig(config: SaeConfig): void {
  const activation = getArchitecture(config.architecture).activation.train;
  if (activation === 'jumprelu') throw new UnsupportedArchitectureError('webgpu', config.architecture, ALTERNATIVES);
  if (config.nesting.length > MAX_LEVELS) throw new WebGpuInputError(`at most ${MAX_LEVELS} nesting levels are supported, got ${config.nesting.length}`);
  const auxK = config.auxK ?? 0;
  if (auxK > 0) throw new WebGpuInputError(`AuxK (auxK ${auxK}) is not implemented by the webgpu engine; train AuxK configs with the cpu or reference engine`);
  if (SELECTION_MODE[activation] === null) throw new WebGpuInputError(`architecture '${config.architecture}' (${activation} activation) is not implemented by the webgpu engine; train it with the cpu or reference engine`);
}
