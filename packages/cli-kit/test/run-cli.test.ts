import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, MsaeError } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { CliError, createProgram, InterruptedError, runCli, UsageError, type CliProcess } from '../src/index.js';
import { FAILING_BUILD, NOISY_BUILD, runRootScript } from '../src/testing.js';

function fakeProcess(env: Record<string, string> = {}) {
  const calls = { stderr: '', exits: [] as number[], sigint: [] as Array<() => void> };
  const proc: CliProcess = {
    stderr: (t) => (calls.stderr += t),
    exit: (c) => calls.exits.push(c),
    onSigint: (h) => {
      calls.sigint.push(h);
      return () => calls.sigint.splice(calls.sigint.indexOf(h), 1);
    },
    env,
  };
  return { proc, calls };
}

describe('runCli', () => {
  it.each([
    ['a typed core error', new ConfigError('config', 'k (8) must be <= d_sae (4)'), 'demo: config: k (8) must be <= d_sae (4)\n', 1],
    ['an MsaeError about a file', new MsaeError('a.npy', 'not found'), 'demo: a.npy: not found\n', 1],
    ['a CliError', new CliError('bad\nthing', 3), 'demo: bad thing\n', 3],
    ['a UsageError', new UsageError('give --data'), 'demo: give --data\n', 2],
    ['an InterruptedError', new InterruptedError('interrupted: saved'), 'demo: interrupted: saved\n', 130],
    ['an untyped error (first line only)', new Error('boom\n    at x.js:1'), 'demo: boom\n', 1],
    ['a thrown string', 'plain', 'demo: plain\n', 1],
  ])('prints %s as one line', async (_name, error, line, code) => {
    const { proc, calls } = fakeProcess();
    await runCli(
      () => {
        throw error;
      },
      { name: 'demo', process: proc },
    );
    expect(calls.stderr).toBe(line);
    expect(calls.exits).toEqual([code]);
    expect(calls.sigint).toHaveLength(0); // the SIGINT handler is removed again
  });

  it('commander usage errors exit 2, --help exits 0 without an error line', async () => {
    const program = () =>
      createProgram('demo')
        .option('--k <n>')
        .configureOutput({ writeOut: () => undefined, outputError: () => undefined });
    const usage = fakeProcess();
    await runCli(() => void program().parse(['--frobnicate'], { from: 'user' }), { name: 'demo', process: usage.proc });
    expect(usage.calls.stderr).toBe("demo: unknown option '--frobnicate'\n");
    expect(usage.calls.exits).toEqual([2]);
    const help = fakeProcess();
    await runCli(() => void program().parse(['--help'], { from: 'user' }), { name: 'demo', process: help.proc });
    expect(help.calls.stderr).toBe('');
    expect(help.calls.exits).toEqual([0]);
  });

  it('MSAE_DEBUG adds the stack of an untyped error only', async () => {
    const { proc, calls } = fakeProcess({ MSAE_DEBUG: '1' });
    await runCli(
      () => {
        throw new Error('boom');
      },
      { name: 'demo', process: proc },
    );
    expect(calls.stderr).toMatch(/^Error: boom\n\s+at /);
    expect(calls.stderr.endsWith('demo: boom\n')).toBe(true);
    const typed = fakeProcess({ MSAE_DEBUG: '1' });
    await runCli(
      () => {
        throw new UsageError('give --data');
      },
      { name: 'demo', process: typed.proc },
    );
    expect(typed.calls.stderr).toBe('demo: give --data\n');
  });

  it('success: the returned exit code; Ctrl-C exits 130 unless the CLI handles it', async () => {
    const ok = fakeProcess();
    await runCli(async () => undefined, { name: 'demo', process: ok.proc });
    expect(ok.calls.exits).toEqual([]);
    const code = fakeProcess();
    await runCli(async () => 4, { name: 'demo', process: code.proc });
    expect(code.calls.exits).toEqual([4]);
    const interrupted = fakeProcess();
    await runCli(
      async () => {
        interrupted.calls.sigint[0]();
      },
      { name: 'demo', process: interrupted.proc },
    );
    expect(interrupted.calls.exits).toEqual([130]);
    const own = fakeProcess();
    await runCli(async () => expect(own.calls.sigint).toHaveLength(0), { name: 'demo', process: own.proc, exitOnSigint: false });
  });
});

describe('scripts/run-cli.mjs (the root train/evaluate/embed/bench scripts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msae-run-cli-'));
  const cli = join(dir, 'cli.mjs');
  writeFileSync(cli, "process.stdout.write('args ' + JSON.stringify(process.argv.slice(2)) + '\\n'); process.stderr.write('cli: note\\n');\n");

  it('a successful build leaves no output; the CLI gets its arguments', async () => {
    const run = await runRootScript('@msae/none', cli, ['--data', 'x y.npy'], NOISY_BUILD);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('args ["--data","x y.npy"]\n');
    expect(run.stderr).toBe('cli: note\n');
  });

  it("a failed build shows the build's output, exits with its code, and does not run the CLI", async () => {
    const run = await runRootScript('@msae/none', cli, [], FAILING_BUILD);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('src/x.ts(1,7): error TS2322: oops\n');
  });
});
