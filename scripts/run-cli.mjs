#!/usr/bin/env node
// `node scripts/run-cli.mjs <package> <cli.js> [args...]`: what the root `train`, `evaluate`, `embed` and `bench`
// scripts run. It builds <package> and its dependencies with turbo, keeping turbo's output (banner, task logs,
// summary) to itself unless the build fails, then runs the built CLI in this process with [args...], so stdout
// and stderr carry only the command's own output and Ctrl-C reaches the CLI directly. When a wrapper above
// (npx, pnpm, sh) is killed, the CLI gets SIGHUP (./watch-wrappers.mjs), so it saves and exits as on Ctrl-C.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { watchWrappers } from './watch-wrappers.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [pkg, cli, ...args] = process.argv.slice(2);
if (!pkg || !cli) {
  process.stderr.write('usage: node scripts/run-cli.mjs <package> <cli.js> [args...]\n');
  process.exit(2);
}

// MSAE_RUN_CLI_BUILD: a JSON array [command, ...args] run instead of turbo (tests); MSAE_SKIP_BUILD=1: no build.
if (!process.env.MSAE_SKIP_BUILD) {
  const turbo = join(root, 'node_modules', '.bin', 'turbo');
  const [command, ...commandArgs] = process.env.MSAE_RUN_CLI_BUILD
    ? JSON.parse(process.env.MSAE_RUN_CLI_BUILD)
    : [existsSync(turbo) ? turbo : 'turbo', 'run', 'build', `--filter=${pkg}...`, '--output-logs=errors-only', '--log-prefix=none', '--ui=stream'];
  const build = spawnSync(command, commandArgs, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, TURBO_NO_UPDATE_NOTIFIER: '1', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', FORCE_COLOR: '0' },
  });
  if (build.error || build.status !== 0) {
    // a failed build: show everything turbo printed (the failing task's errors), then fail like the build did
    process.stderr.write(build.stdout ?? '');
    process.stderr.write(build.stderr ?? '');
    if (build.error) process.stderr.write(`run-cli: cannot run turbo: ${build.error.message}\n`);
    process.exit(build.status || 1);
  }
}

watchWrappers();
const entry = resolve(root, cli);
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
