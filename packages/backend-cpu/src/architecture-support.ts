import { type ActivationKind, type SaeConfig, UnsupportedArchitectureError, getArchitecture } from '@msae/core';

/**
 * The native kernel of each activation kind (sae_pass.h: ARCH_RELU, ARCH_TOPK, ARCH_BATCHTOPK, ARCH_MSAE,
 * ARCH_PREFIX); null = no native kernel (jumprelu: its trained threshold and straight-through kernel are not in C++).
 */
const ACTIVATION_CODE: Record<ActivationKind, number | null> = {
  relu: 0,
  'row-topk': 1,
  'batch-topk': 2,
  'nested-row-topk': 3,
  'batch-topk-prefix': 4,
  jumprelu: null,
};

/** Engines that run every architecture, suggested when the cpu engine refuses one. */
const ALTERNATIVES = ['tfjs-wasm', 'tfjs-cpu', 'reference'];

/**
 * The native kernel code of the config's architecture; UnsupportedArchitectureError (a ConfigError) naming
 * `engine` (`cpu`, or `wasm` for the same kernels compiled to WebAssembly) when there is none.
 */
export function nativeActivationCode(config: Pick<SaeConfig, 'architecture'>, engine = 'cpu'): number {
  const code = ACTIVATION_CODE[getArchitecture(config.architecture).activation.train];
  if (code === null) throw new UnsupportedArchitectureError(engine, config.architecture, ALTERNATIVES.filter((e) => e !== engine));
  return code;
}

/** Throws UnsupportedArchitectureError when the native kernels (engine `cpu` or `wasm`) cannot run the config's architecture. */
export function checkCpuEngineConfig(config: Pick<SaeConfig, 'architecture'>, engine = 'cpu'): void {
  nativeActivationCode(config, engine);
}
