import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOISY_BUILD, runRootScript } from '@msae/cli-kit/testing';
import { describe, expect, it } from 'vitest';

// `pnpm --silent embed ...` runs scripts/run-cli.mjs: nothing of the build may show, and bad input is one line.
describe('pnpm --silent embed', () => {
  it('prints exactly one stderr line for bad input, nothing of the build, and exits non-zero', async () => {
    const run = await runRootScript(
      '@msae/embed',
      'apps/embed/dist/cli.js',
      ['--model', 'missing-model', '--texts', 'missing.txt', '--out', join(tmpdir(), 'never.npy')],
      NOISY_BUILD,
    );
    expect(run.stderr).toBe('msae-embed: missing.txt: no such file\n');
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
  });
});
