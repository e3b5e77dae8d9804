#!/usr/bin/env node
// `pnpm test:consumer`: the packages as a stranger meets them on npm. Packs every publishable package, installs the
// tarballs with plain `npm install` into a fresh project (no workspace links, no environment variable), then:
// checks each tarball (LICENSE, README fit for the registry page), runs the README examples as written, type-checks
// them and a strict TS file against the packed types (node16 and bundler resolution, no optional peer installed),
// bundles the browser entries with esbuild and trains a few steps in headless Chromium.
// MSAE_CONSUMER_DIR=DIR keeps the project there (default: a temp dir, removed on success); MSAE_SKIP_BUILD=1 skips turbo.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInChromium } from './chromium-page.mjs';
import { readmeExamples, readmeProblems } from './readme-examples.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const requireTools = createRequire(join(root, 'packages/test-support/package.json'));
const esbuild = requireTools('esbuild');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const work = process.env.MSAE_CONSUMER_DIR ? resolve(process.env.MSAE_CONSUMER_DIR) : mkdtempSync(join(tmpdir(), 'msae-consumer-'));
const failures = [];
const step = (text) => process.stderr.write(`consumer-test: ${text}\n`);
const fail = (text) => {
  failures.push(text);
  process.stderr.write(`consumer-test: FAIL ${text}\n`);
};

/** Run a command; returns { ok, out } (stdout + stderr). */
function run(command, args, opts = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 300_000, ...opts });
  return { ok: !r.error && r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
}

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

// 1. build, metadata in sync, pack
if (!process.env.MSAE_SKIP_BUILD) {
  step('building the packages');
  const filters = packages.map(({ pkg }) => `--filter=${pkg.name}`);
  const b = run(join(root, 'node_modules/.bin/turbo'), ['run', 'build', ...filters, '--output-logs=errors-only'], { cwd: root });
  if (!b.ok) throw new Error(`build failed:\n${b.out}`);
}
const meta = run(process.execPath, [join(root, 'scripts/sync-package-metadata.mjs'), '--check'], { cwd: root });
if (!meta.ok) fail(meta.out.trim());
const tarballs = join(work, 'tarballs');
rmSync(tarballs, { recursive: true, force: true });
mkdirSync(tarballs, { recursive: true });
step(`packing ${packages.length} packages into ${tarballs}`);
// one pnpm for all (workspace:* becomes the real version); private packages are filtered out by name
const packFilters = packages.map(({ pkg }) => `--filter=${pkg.name}`);
const packed = run('npx', ['--yes', 'pnpm@10.34.8', '-r', ...packFilters, 'pack', '--pack-destination', tarballs], { cwd: root });
if (!packed.ok) throw new Error(`pnpm pack failed:\n${packed.out}`);
const tgz = Object.fromEntries(
  packages.map(({ pkg }) => [pkg.name, join(tarballs, `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`)]),
);

// 2. what each tarball ships
for (const { pkg } of packages) {
  const listing = run('tar', ['-tzf', tgz[pkg.name]])
    .out.split('\n')
    .map((f) => f.replace(/^package\//, ''));
  for (const must of ['LICENSE', 'README.md']) if (!listing.includes(must)) fail(`${pkg.name}: tarball has no ${must}`);
  const extra = listing.filter((f) => /^(scripts|test|bench|benchmarks|examples)\//.test(f) || /\.py$/.test(f));
  if (extra.length) fail(`${pkg.name}: tarball ships ${extra.join(', ')}`);
  for (const field of ['repository', 'homepage', 'bugs']) if (!pkg[field]) fail(`${pkg.name}: package.json has no ${field}`);
  const readme = run('tar', ['-xzOf', tgz[pkg.name], 'package/README.md']).out;
  for (const problem of readmeProblems(pkg.name, readme)) fail(`${pkg.name} README: ${problem}`);
}
if (!run('tar', ['-tzf', tgz['@msae/concepts']]).out.includes('package/NOTICE'))
  fail('@msae/concepts: tarball has no NOTICE for the Detic vocabulary');

// 3. a fresh project, plain npm install of every tarball (no env variable: nothing may need one)
const project = join(work, 'project');
rmSync(project, { recursive: true, force: true });
mkdirSync(join(project, 'examples'), { recursive: true });
const deps = Object.fromEntries(Object.entries(tgz).map(([name, file]) => [name, `file:${file}`]));
const typesNode = JSON.parse(readFileSync(join(root, 'node_modules/@types/node/package.json'), 'utf8')).version;
writeFileSync(
  join(project, 'package.json'),
  `${JSON.stringify({ name: 'msae-consumer', private: true, type: 'module', dependencies: deps, devDependencies: { '@types/node': typesNode }, overrides: deps }, null, 2)}\n`,
);
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ONNXRUNTIME_|MSAE_|npm_)/.test(k)));
step('npm install of the tarballs (no environment variable)');
const install = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, env });
if (!install.ok) throw new Error(`npm install failed:\n${install.out}`);
for (const heavy of ['onnxruntime-node', 'webgpu', '@lancedb/lancedb', '@huggingface/transformers']) {
  if (existsSync(join(project, 'node_modules', heavy))) fail(`npm install pulled in the optional ${heavy}`);
}
const size = run('du', ['-sm', join(project, 'node_modules')]).out.split('\t')[0];
step(`node_modules: ${size} MB`);

// 4. README examples, as written
const examples = [];
for (const { dir, pkg } of packages) {
  readmeExamples(join(dir, 'README.md')).forEach((ex, i) => {
    const file = join(project, 'examples', `${basename(dir)}-${i + 1}.ts`);
    writeFileSync(file, ex.code);
    examples.push({ ...ex, file, label: `${pkg.name} README line ${ex.line}` });
  });
}
step(`${examples.length} README examples (${examples.filter((e) => e.mode === 'run').length} run)`);
for (const name of Object.keys(tgz))
  if (!examples.some((e) => e.label.startsWith(`${name} `))) fail(`${name} README: no example marked <!-- consumer-test: run|types -->`);

// 5. strict type-check of the examples and strict-types.ts against the packed .d.ts
cpSync(join(here, 'strict-types.ts'), join(project, 'strict-types.ts'));
for (const resolution of ['node16', 'bundler']) {
  const module = resolution === 'node16' ? 'node16' : 'esnext';
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'es2022',
      lib: ['es2022', 'dom'],
      module,
      moduleResolution: resolution,
      types: ['node'],
      skipLibCheck: false,
      noUncheckedIndexedAccess: false,
    },
    include: ['strict-types.ts', 'examples/*.ts'],
  };
  writeFileSync(join(project, `tsconfig.${resolution}.json`), JSON.stringify(tsconfig, null, 2));
  const t = run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: project });
  step(`tsc --strict (${resolution} resolution): ${t.ok ? 'ok' : 'errors'}`);
  if (!t.ok) fail(`tsc ${resolution}:\n${t.out.trim()}`);
}

// 6. run the runnable examples with node (TypeScript stripped by esbuild, imports left to node)
for (const ex of examples.filter((e) => e.mode === 'run')) {
  const js = ex.file.replace(/\.ts$/, '.mjs');
  writeFileSync(js, esbuild.transformSync(readFileSync(ex.file, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' }).code);
  const started = Date.now();
  const r = run(process.execPath, [js], { cwd: project, env, timeout: 180_000 });
  step(`${ex.label}: ${r.ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!r.ok) fail(`${ex.label} (${basename(js)}):\n${r.out.trim().split('\n').slice(-15).join('\n')}`);
}

// 7. a missing optional peer gets the typed error naming the npm install
const peer = run(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    "import { embedTexts } from '@msae/clip'; embedTexts(['a dog'], { model: 'x' }).then(() => process.exit(2), (e) => { console.log(e.name + '|' + e.message); });",
  ],
  { cwd: project, env },
);
if (!/^ClipRuntimeMissingError\|.*npm install @huggingface\/transformers/.test(peer.out))
  fail(`@msae/clip without transformers.js: ${peer.out.trim()}`);

// 8. without its binary (no prebuilt for the platform, no compiler at install), the cpu engine's note tells npm users the fix
const cpuDir = join(project, 'node_modules/@msae/backend-cpu');
const hidden = ['prebuilds', 'build'].filter((d) => existsSync(join(cpuDir, d)));
for (const d of hidden) renameSync(join(cpuDir, d), join(cpuDir, `${d}.hidden`));
try {
  const note = run(
    process.execPath,
    ['--input-type=module', '-e', "import { cpuEngineAvailability } from '@msae/backend-cpu'; console.log(cpuEngineAvailability().reason);"],
    { cwd: project, env },
  );
  if (!note.out.includes('npm rebuild @msae/backend-cpu, which needs g++')) fail(`cpu engine without its binary: ${note.out.trim()}`);
} finally {
  for (const d of hidden) renameSync(join(cpuDir, `${d}.hidden`), join(cpuDir, d));
}

// 9. browser entries bundle for the browser (no node: built-in), and one trains in Chromium
const browserEntries = [
  '@msae/core',
  '@msae/engines/browser',
  '@msae/io/browser',
  '@msae/concepts/browser',
  '@msae/clip/browser',
  '@msae/metrics',
  '@msae/training',
];
for (const entry of browserEntries) {
  try {
    const r = await esbuild.build({
      stdin: { contents: `export * from '${entry}';`, resolveDir: project, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      external: ['@huggingface/transformers', 'webgpu'],
    });
    step(`esbuild ${entry} for the browser: ${(r.outputFiles[0].contents.length / 1024).toFixed(0)} KB`);
  } catch (err) {
    fail(
      `esbuild ${entry} for the browser: ${String(err.message ?? err)
        .split('\n')
        .slice(0, 6)
        .join(' ')}`,
    );
  }
}
const page = join(project, 'page');
mkdirSync(page, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'browser-entry.ts')],
  absWorkingDir: project,
  nodePaths: [join(project, 'node_modules')],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  outfile: join(page, 'app.js'),
  logLevel: 'silent',
});
const result = await runInChromium(page, 'app.js');
const losses = result.losses ?? [];
step(`Chromium: ${JSON.stringify(result)}`);
if (result.error || losses.length !== 8 || !losses.every(Number.isFinite) || !(losses[7] < losses[0]))
  fail(`Chromium training: ${JSON.stringify(result)}`);

if (failures.length) {
  process.stderr.write(`consumer-test: ${failures.length} failure(s); the project is kept in ${work}\n`);
  process.exit(1);
}
step('all passed');
if (!process.env.MSAE_CONSUMER_DIR) rmSync(work, { recursive: true, force: true });
