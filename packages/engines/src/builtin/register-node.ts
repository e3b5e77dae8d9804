import { registerEngine } from '../engine-registry.js';
import { registerMatmulProvider } from '../matmul-provider.js';
import { cpuMatmulRegistration } from './cpu-matmul.js';
import { nodeEngineRegistrations } from './node-engines.js';
import { registerSharedBuiltins } from './register-shared.js';

/** Register every built-in engine and matmul provider (the Node entry). */
export function registerNodeBuiltins(): void {
  registerSharedBuiltins();
  for (const r of nodeEngineRegistrations) registerEngine(r);
  registerMatmulProvider(cpuMatmulRegistration);
}
