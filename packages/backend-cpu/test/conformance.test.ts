import { ARCHITECTURES } from '@msae/core';
import { conformanceCases } from '@msae/core/conformance';
import { describe, it } from 'vitest';
import { createCpuEngine } from '../src/index.js';
import { nativeBuildSkipped } from './native-status.js';

// jumprelu has no native kernels: the engine refuses it (architecture-support.test.ts).
const architectures = ARCHITECTURES.filter((a) => a !== 'jumprelu');

describe.skipIf(nativeBuildSkipped() !== undefined)('cpu engine conformance (against the reference engine)', () => {
  for (const c of conformanceCases({ architectures })) it(c.name, () => c.run(() => createCpuEngine({ threads: 2 })));
});
