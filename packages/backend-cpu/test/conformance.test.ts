import { conformanceCases } from '@msae/core/conformance';
import { describe, it } from 'vitest';
import { createCpuEngine } from '../src/index.js';
import { nativeBuildSkipped } from './native-status.js';

describe.skipIf(nativeBuildSkipped() !== undefined)('cpu engine conformance (against the reference engine)', () => {
  for (const c of conformanceCases()) it(c.name, () => c.run(() => createCpuEngine({ threads: 2 })));
});
