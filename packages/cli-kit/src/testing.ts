import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (this file is packages/cli-kit/{src,dist}/testing.*). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** scripts/run-cli.mjs: what the root `train` / `evaluate` / `embed` / `bench` scripts run. */
export const RUN_CLI_SCRIPT = join(REPO_ROOT, 'scripts', 'run-cli.mjs');

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a root script's command line as `pnpm --silent <script>` does (`node scripts/run-cli.mjs <package> <cli>
 * <args>`), with `build` (a command and its arguments) standing in for the turbo build: a build that prints a
 * banner on success must leave no trace, a failing one must show its output.
 */
export function runRootScript(pkg: string, cli: string, args: string[], build: string[]): Promise<ScriptRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [RUN_CLI_SCRIPT, pkg, cli, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MSAE_DEBUG: '', MSAE_SKIP_BUILD: '', MSAE_RUN_CLI_BUILD: JSON.stringify(build) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** A stand-in build that prints turbo-like noise on both streams and succeeds. */
export const NOISY_BUILD = [
  process.execPath,
  '-e',
  "console.log('• Packages in scope: @msae/core'); console.error('• Running build in 1 packages'); console.log(' Tasks: 1 successful, 1 total')",
];

/** A stand-in build that fails with a compiler error. */
export const FAILING_BUILD = [process.execPath, '-e', "console.error('src/x.ts(1,7): error TS2322: oops'); process.exit(3)"];
