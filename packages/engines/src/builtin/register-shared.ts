import { registerEngine } from '../engine-registry.js';
import { registerMatmulProvider } from '../matmul-provider.js';
import { jsMatmulRegistration } from './js-matmul.js';
import { sharedEngineRegistrations } from './shared-engines.js';

/** Register the engines and matmul providers that run in browsers (and in Node). */
export function registerSharedBuiltins(): void {
  for (const r of sharedEngineRegistrations) registerEngine(r);
  registerMatmulProvider(jsMatmulRegistration);
}
