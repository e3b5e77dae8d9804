import { NOISY_BUILD, runRootScript } from '@msae/cli-kit/testing';
import { describe, expect, it } from 'vitest';

// `pnpm --silent evaluate ...` runs scripts/run-cli.mjs: nothing of the build may show, and bad input is one line.
describe('pnpm --silent evaluate', () => {
  it('prints exactly one stderr line for bad input, nothing of the build, and exits non-zero', async () => {
    const run = await runRootScript('@msae/evaluator', 'apps/evaluator/dist/cli.js', ['--checkpoint', 'missing-checkpoint', '--data', 'missing.npy'], NOISY_BUILD);
    expect(run.stderr).toBe('msae-eval: missing-checkpoint: checkpoint directory not found\n');
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
  });
});
