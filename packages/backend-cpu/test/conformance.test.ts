import { conformanceCases } from '@msae/core';
import { describe, it } from 'vitest';
import { createCpuEngine } from '../src/index.js';

describe('cpu engine conformance (against the reference engine)', () => {
  for (const c of conformanceCases()) it(c.name, () => c.run(() => createCpuEngine({ threads: 2 })));
});
