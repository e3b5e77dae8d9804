import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { plantedBenchmark } from '../src/testing.js';

// `@msae/concepts/testing` as a consumer resolves it (the built package, through its exports map), ESM and CJS.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = async (args: string[]) => (await promisify(execFile)(process.execPath, args, { cwd: packageDir })).stdout.trim();
const probe = 'const b = t.plantedBenchmark({ dim: 16, concepts: 3, distractors: 5, randomLatents: 2, seed: 4 }); console.log(JSON.stringify([b.truth, b.vocabulary.labels.slice(0, 4), Array.from(b.decoder.data.slice(0, 3))]))';

describe('@msae/concepts/testing export', () => {
  const expected = (() => {
    const b = plantedBenchmark({ dim: 16, concepts: 3, distractors: 5, randomLatents: 2, seed: 4 });
    return [b.truth, b.vocabulary.labels.slice(0, 4), Array.from(b.decoder.data.slice(0, 3))];
  })();

  it('import and require give the same benchmark as the source', async () => {
    expect(JSON.parse(await node(['--input-type=module', '-e', `import * as t from '@msae/concepts/testing'; ${probe}`]))).toEqual(expected);
    expect(JSON.parse(await node(['-e', `const t = require('@msae/concepts/testing'); ${probe}`]))).toEqual(expected);
  });

  it('the main entry does not carry the benchmark', async () => {
    const script = `import * as c from '@msae/concepts'; console.log(['plantedBenchmark', 'scoreBenchmark'].filter((n) => n in c).length);`;
    expect(await node(['--input-type=module', '-e', script])).toBe('0');
  });
});
