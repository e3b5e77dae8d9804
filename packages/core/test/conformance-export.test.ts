import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { conformanceCases } from '../src/conformance/index.js';

// `@msae/core/conformance` as a consumer resolves it (the built package, through its exports map), ESM and CJS.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = async (args: string[]) => (await promisify(execFile)(process.execPath, args, { cwd: packageDir })).stdout.trim();
const probe = "console.log(JSON.stringify(t.conformanceCases({ architectures: ['relu'] }).map((c) => c.name)))";

describe('@msae/core/conformance export', () => {
  const expected = conformanceCases({ architectures: ['relu'] }).map((c) => c.name);

  it('import and require list the same cases as the source', async () => {
    expect(expected).toHaveLength(16);
    expect(JSON.parse(await node(['--input-type=module', '-e', `import * as t from '@msae/core/conformance'; ${probe}`]))).toEqual(expected);
    expect(JSON.parse(await node(['-e', `const t = require('@msae/core/conformance'); ${probe}`]))).toEqual(expected);
  });

  it('runs a case from the built subpath against the built reference engine', async () => {
    const script =
      "import { createReferenceEngine } from '@msae/core'; import { conformanceCases } from '@msae/core/conformance';" +
      " const c = conformanceCases({ architectures: ['topk'], filter: (n) => n.endsWith('gradients') })[0];" +
      ' await c.run(() => createReferenceEngine()); console.log(c.name);';
    expect(await node(['--input-type=module', '-e', script])).toBe('topk nmse k=8 d16x64 rows32: gradients');
  });

  it('the main entry no longer exports the suite', async () => {
    const script = "import * as core from '@msae/core'; console.log(['conformanceCases', 'runConformance', 'conformanceConfigs'].filter((n) => n in core).length);";
    expect(await node(['--input-type=module', '-e', script])).toBe('0');
  });
});
