#!/usr/bin/env node
// `node scripts/sync-package-metadata.mjs [--check]`: give every publishable package (packages/*, not private) the
// root's repository (with its directory), homepage, bugs, license, keywords and a copy of the root LICENSE, so every
// tarball carries them. --check changes nothing and exits 1 listing what is out of date (run by the consumer test).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
const repoUrl = rootPkg.repository.url;
const web = repoUrl.replace(/^git\+/, '').replace(/\.git$/, '');
const stale = [];

for (const name of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', name);
  const file = join(dir, 'package.json');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  const pkg = JSON.parse(text);
  if (pkg.private) continue;
  const wanted = {
    license: rootPkg.license,
    author: rootPkg.author,
    repository: { type: 'git', url: repoUrl, directory: `packages/${name}` },
    homepage: `${web}/tree/main/packages/${name}#readme`,
    bugs: rootPkg.bugs,
    keywords: [...new Set([...(rootPkg.keywords ?? []), ...(pkg.keywords ?? [])])],
  };
  // insert after "description" so the fields read in npm's usual order
  const next = {};
  for (const [key, value] of Object.entries(pkg)) {
    if (key in wanted) continue;
    next[key] = value;
    if (key === 'description') Object.assign(next, wanted);
  }
  const out = `${JSON.stringify(next, null, 2)}\n`;
  const licenseFile = join(dir, 'LICENSE');
  const licenseStale = !existsSync(licenseFile) || readFileSync(licenseFile, 'utf8') !== license;
  if (out !== text) stale.push(`packages/${name}/package.json`);
  if (licenseStale) stale.push(`packages/${name}/LICENSE`);
  if (!check) {
    if (out !== text) writeFileSync(file, out);
    if (licenseStale) writeFileSync(licenseFile, license);
  }
}
if (check && stale.length > 0) {
  process.stderr.write(`package metadata out of date (run node scripts/sync-package-metadata.mjs): ${stale.join(', ')}\n`);
  process.exit(1);
}
if (!check) process.stdout.write(stale.length ? `updated ${stale.join(', ')}\n` : 'package metadata up to date\n');
