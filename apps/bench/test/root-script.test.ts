import { NOISY_BUILD, runRootScript } from '@msae/cli-kit/testing';
import { describe, expect, it } from 'vitest';

// `pnpm --silent bench ...` runs scripts/run-cli.mjs: nothing of the build may show, and bad input is one line.
describe('pnpm --silent bench', () => {
  it('prints exactly one stderr line for bad input, nothing of the build, and exits non-zero', async () => {
    const run = await runRootScript('@msae/bench', 'apps/bench/dist/cli.js', ['--config', 'E'], NOISY_BUILD);
    expect(run.stderr).toBe("msae-bench: option '--config <names>' argument 'E' is invalid. --config must be one of A, B, C, D, got 'E'\n");
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });
});
