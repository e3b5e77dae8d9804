import { describe, it } from 'vitest';
import { conformanceCases } from '@msae/core/conformance';
import { createTfjsEngine } from '../src/index.js';

// The core conformance suite (forward, gradients, training steps, encode, decode, state round trip
// against the reference engine) on tfjs' cpu and wasm backends.
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`conformance: tfjs ${backend}`, () => {
    for (const c of conformanceCases()) {
      it(c.name, () => c.run(() => createTfjsEngine({ backend })));
    }
  });
}
