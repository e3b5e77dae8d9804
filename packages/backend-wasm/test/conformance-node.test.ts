import { ARCHITECTURES } from '@msae/core';
import { conformanceCases } from '@msae/core/conformance';
import { describe, it } from 'vitest';
import { createWasmEngine } from '../src/index.js';

// jumprelu has no native kernels: the engine refuses it (wasm-engine.test.ts).
const architectures = ARCHITECTURES.filter((a) => a !== 'jumprelu');

describe('wasm engine conformance in Node (against the reference engine)', () => {
  describe('threaded build, 3 threads', () => {
    for (const c of conformanceCases({ architectures })) it(c.name, () => c.run(() => createWasmEngine({ threads: 3 })));
  });
  describe('single-threaded build', () => {
    for (const c of conformanceCases({ architectures })) it(c.name, () => c.run(() => createWasmEngine({ threads: 1 })));
  });
});
