import { type ActivationKind, type SaeConfig, UnsupportedArchitectureError, getArchitecture } from '@msae/core';
import { WebGpuInputError } from './errors.js';
import { MAX_LEVELS } from './kernels/prelude.js';

/** The training activations the kernels implement (see @msae/core's ActivationKind). */
const SUPPORTED_ACTIVATIONS: readonly ActivationKind[] = ['relu', 'row-topk', 'batch-topk', 'nested-row-topk'];

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
  if (!SUPPORTED_ACTIVATIONS.includes(activation)) throw new WebGpuInputError(`architecture '${config.architecture}' (${activation} activation) is not implemented by the webgpu engine; train it with the cpu or reference engine`);
}
