/** The API both entries export (the entries differ only in which built-ins they register). */
export { currentEnvironment, type Environment } from './environment.js';
export {
  ProviderRegistry,
  type Availability,
  type AutoChoice,
  type ProviderDetails,
  type ProviderInfo,
  type Registration,
} from './provider-registry.js';
export { EngineNameMismatchError, EngineUnavailableError, RegistryError, UnknownEngineError } from './registry-errors.js';
export {
  engineDetails,
  engineNames,
  engineRegistry,
  listEngines,
  registerEngine,
  unregisterEngine,
  type EngineAvailability,
  type EngineFactory,
  type EngineInfo,
  type EngineOptions,
  type EngineRegistration,
} from './engine-registry.js';
export { createEngine, resolveAutoEngine, type CreateEngineOptions } from './create-engine.js';
export { ENGINE_NAMES, isEngineName, type EngineName } from './engine-names.js';
export {
  createMatmulProvider,
  listMatmulProviders,
  matmulProviderDetails,
  matmulRegistry,
  registerMatmulProvider,
  type MatmulProviderOptions,
  type MatmulRegistration,
} from './matmul-provider.js';
export { probeWebGpuAdapter } from './builtin/webgpu-adapter.js';
export { PRIORITY as BUILTIN_PRIORITIES } from './builtin/priorities.js';
