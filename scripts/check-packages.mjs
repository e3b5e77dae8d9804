#!/usr/bin/env node
// `pnpm check:packages`: build every package, then run publint (strict: warnings fail) and
// @arethetypeswrong/cli over each publishable (non-private) package in packages/*, as `pnpm pack` would ship it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, TURBO_NO_UPDATE_NOTIFIER: '1', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

/** Run a command; print its output only when it fails (or always with `show`). */
function run(label, command, args, opts = {}) {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', env, maxBuffer: 64 << 20, ...opts });
  const ok = !r.error && r.status === 0;
  if (!ok || opts.show) process.stdout.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.error) process.stdout.write(`${label}: ${r.error.message}\n`);
  return ok;
}

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join('packages', name))
  .filter((dir) => existsSync(join(root, dir, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

if (!process.env.MSAE_SKIP_BUILD) {
  const filters = packages.map(({ pkg }) => `--filter=${pkg.name}`);
  if (!run('build', bin('turbo'), ['run', 'build', ...filters, '--output-logs=errors-only', '--log-prefix=none', '--ui=stream'])) process.exit(1);
}

const failed = [];
for (const { dir, pkg } of packages) {
  // publint packs with pnpm (workspace:* becomes the real version); --strict turns its warnings into errors
  const lint = run(`publint ${pkg.name}`, bin('publint'), ['--strict', '--pack', 'pnpm', dir]);
  // attw on the packed tarball; node16 (CJS and ESM) and bundler resolution (the packages need Node >= 20, so node10 is ignored)
  const types = run(`attw ${pkg.name}`, bin('attw'), ['--pack', dir, '--profile', 'node16', '--format', 'table-flipped']);
  process.stdout.write(`${lint && types ? 'ok  ' : 'FAIL'} ${pkg.name} (publint ${lint ? 'ok' : 'failed'}, attw ${types ? 'ok' : 'failed'})\n`);
  if (!lint || !types) failed.push(pkg.name);
}
if (failed.length > 0) {
  process.stdout.write(`check:packages: ${failed.length} package(s) failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
