#!/usr/bin/env node
/**
 * Playground-style training speed of the wasm engine against the native cpu engine, in one run: msae rw 512 -> 4096
 * (k 64), batch 256, the same demo data and initial parameters, median samples/s over the timed steps of
 *   1. the native cpu engine in Node (every core),
 *   2. the wasm engine in Node, forced (as on a machine without the native binary), on 1 thread and on every core,
 *   3. the wasm engine in headless Chromium without a GPU (--disable-gpu), chosen by `auto` of @msae/engines/browser
 *      as the playground does, in a cross-origin isolated page (COOP/COEP: the threaded build) and in a plain page.
 * The Node rows run in --rounds interleaved rounds (native next to wasm each time), their timed steps pooled.
 * --plot FILE.svg draws the table: samples/s per row (every timed step a dot, the median a bar), with the targets of
 * issue 21 (wasm in Node >= 40% of native, the playground in Chromium >= 25%) as marks.
 *   node scripts/bench-training.mjs [--steps 8] [--warmup 2] [--batch 256] [--rounds 3] [--plot FILE.svg]    (needs `pnpm build`; chromium for 3)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { generateDemoEmbeddings, initParams, resolveConfig } from '@msae/core';
import { createCpuEngine, nativeKernelInfo } from '@msae/backend-cpu';
import { createWasmEngine } from '../dist/index.js';
// Relative import: @msae/training is not a dependency of this package (engines -> backend-wasm would make a cycle).
const trainingEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../training/dist/index.js');
const { timedSteps } = await import(trainingEntry);

const { values } = parseArgs({ options: { steps: { type: 'string', default: '8' }, warmup: { type: 'string', default: '2' }, batch: { type: 'string', default: '256' }, rounds: { type: 'string', default: '3' }, plot: { type: 'string' } } });
const steps = Number(values.steps);
const warmup = Number(values.warmup);
const batch = Number(values.batch);
const rounds = Number(values.rounds);
const OPTIONS = { dIn: 512, dSae: 4096, architecture: 'msae', k: 64, weighting: 'rw' };
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (s) => process.stderr.write(`${s}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Timed steps of one engine through @msae/training's timedSteps (the benchmarks' one step loop): samples/s per
 * step. Same function body runs in the page (see PAGE), where timedSteps is bundled in. */
async function train(engine, config, params, x, batch, steps, warmup, timedSteps) {
  await engine.load({ config, params });
  const { seconds, loss } = await timedSteps(engine, x.subarray(0, batch * 512), batch, { lr: 1e-4, warmup, steps });
  await engine.dispose();
  return { rates: seconds.map((s) => batch / s), loss };
}

const config = resolveConfig(OPTIONS);
const params = initParams(config, 42);
const x = generateDemoEmbeddings({ rows: batch * 4, dIn: 512, seed: 7 }).x.data;
const info = nativeKernelInfo();
log(`CPU: ${info.cpuModel} x ${os.cpus().length}; native kernel ${info.variant}; load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
// The Node rows go in interleaved rounds (native, wasm 1 thread, wasm every core; again), each row's rates pooled
// over its rounds: a machine that slows down for a while slows every row, not just the one measured then.
const node = [];
for (let round = 0; round < rounds; round++) {
  const cpu = createCpuEngine();
  log(`round ${round + 1} of ${rounds}: native cpu engine (${cpu.threads} threads), wasm engine in Node (forced) on 1 thread and on every core`);
  const rows = [
    [`cpu (native ${info.variant}, ${cpu.threads} threads)`, cpu],
    ['wasm (simd128, 1 thread)', await createWasmEngine({ threads: 1 })],
  ];
  const wasmAll = await createWasmEngine();
  rows.push([`wasm (simd128, ${wasmAll.threads} threads)`, wasmAll]);
  for (const [i, [engine, e]] of rows.entries()) {
    const r = await train(e, config, params, x, batch, steps, warmup, timedSteps);
    node[i] ??= { engine, where: 'node', rates: [], loss: r.loss };
    node[i].rates.push(...r.rates);
  }
}
const results = [...node];

const CHROMIUM = process.env.MSAE_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(CHROMIUM)) {
  log('wasm engine in headless Chromium (auto, no GPU), cross-origin isolated page and plain page');
  const page = `import { createEngine, listEngines } from '@msae/engines/browser';
import { generateDemoEmbeddings, initParams, resolveConfig } from '@msae/core';
import { timedSteps } from ${JSON.stringify(trainingEntry)};
${train.toString()}
globalThis.msaeBench = async (options, batch, steps, warmup) => {
  const config = resolveConfig(options);
  const engine = await createEngine('auto', { wasmModuleUrl: new URL('msae-wasm/msae_wasm_mt.mjs', location.href).href });
  const r = await train(engine, config, initParams(config, 42), generateDemoEmbeddings({ rows: batch * 4, dIn: 512, seed: 7 }).x.data, batch, steps, warmup, timedSteps);
  return { engine: engine.name, threads: engine.threads, available: (await listEngines()).filter((e) => e.available).map((e) => e.name), isolated: globalThis.crossOriginIsolated === true, ...r };
};
globalThis.msaeReady = true;`;
  const bundle = (await build({ stdin: { contents: page, resolveDir: path.resolve(here, '../../engines'), loader: 'js' }, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent', conditions: ['browser'] })).outputFiles[0].text;
  const html = '<!doctype html><meta charset="utf-8"><script type="module" src="bundle.js"></script>';
  const generated = path.resolve(here, '../src/generated');
  // /isolated/ is served with COOP/COEP (SharedArrayBuffer: the threaded build), / without
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const isolated = url.pathname.startsWith('/isolated/');
    if (isolated) res.setHeader('Cross-Origin-Opener-Policy', 'same-origin').setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    const tail = url.pathname.replace(/^\/isolated\//, '/');
    const mt = /^\/msae-wasm\/(msae_wasm_mt\.(mjs|worker\.js))$/.exec(tail);
    if (tail === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else if (mt) res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(path.join(generated, mt[1])));
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const profile = mkdtempSync(path.join(os.tmpdir(), 'msae-wasm-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: false, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    for (const where of ['isolated/', '']) {
      const tab = await context.newPage();
      await tab.goto(`http://127.0.0.1:${server.address().port}/${where}`);
      await tab.waitForFunction(() => globalThis.msaeReady === true, null, { timeout: 60_000 });
      tab.setDefaultTimeout(600_000);
      const r = await tab.evaluate(([o, b, s, w]) => globalThis.msaeBench(o, b, s, w), [OPTIONS, batch, steps, warmup]);
      const page = r.isolated ? 'cross-origin isolated page' : 'plain page';
      results.push({ engine: `${r.engine}, ${r.threads} thread${r.threads === 1 ? '' : 's'} (auto; available: ${r.available.join(', ')})`, where: `chromium, ${page}`, rates: r.rates, loss: r.loss });
      await tab.close();
    }
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
} else {
  log(`chromium skipped: ${CHROMIUM} not found`);
}

const native = median(results[0].rates);
console.log(`msae rw 512->4096 k 64, batch ${batch}, ${steps} timed steps after ${warmup} warm-up (Node rows: ${rounds} interleaved rounds, ${rounds * steps} steps each); load average after ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
console.log('| engine | where | samples/s (median, min-max) | of native | final loss |');
console.log('|---|---|---:|---:|---:|');
for (const r of results) {
  const m = median(r.rates);
  console.log(`| ${r.engine} | ${r.where} | ${m.toFixed(0)} (${Math.min(...r.rates).toFixed(0)}-${Math.max(...r.rates).toFixed(0)}) | ${((100 * m) / native).toFixed(0)}% | ${r.loss.toFixed(5)} |`);
}
console.log(JSON.stringify({ bench: 'wasm-training', batch, steps, warmup, results: results.map((r) => ({ engine: r.engine, where: r.where, samplesPerSecond: median(r.rates), rates: r.rates, loss: r.loss })) }));

if (values.plot) {
  const vegaLite = await import('vega-lite');
  const vega = await import('vega');
  const pct = (r) => `${((100 * median(r.rates)) / native).toFixed(0)}% of native`;
  const label = (r) => `${r.where === 'node' ? 'Node' : r.where.replace('chromium, ', 'Chromium, ')}: ${r.engine.replace(/ \(auto; available: [^)]*\)/, '')}: ${pct(r)}`;
  const rows = results.map((r) => ({ row: label(r), median: median(r.rates) }));
  const steps = results.flatMap((r) => r.rates.map((rate) => ({ row: label(r), rate })));
  const targets = [
    { target: 'wasm in Node: 40% of native', rate: 0.4 * native },
    { target: 'playground in Chromium: 25% of native', rate: 0.25 * native },
  ];
  const y = { field: 'row', type: 'nominal', sort: null, title: null, axis: { labelLimit: 700 } };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `msae 512 -> 4096 (k 64, batch ${batch}): training speed`, subtitle: `${info.cpuModel} x ${os.cpus().length}, native kernel ${info.variant}; bar: median, dots: each timed step` },
    width: 520,
    height: { step: 34 },
    layer: [
      { data: { values: rows }, mark: { type: 'bar', opacity: 0.6 }, encoding: { y, x: { field: 'median', type: 'quantitative', title: 'samples/s' } } },
      { data: { values: steps }, mark: { type: 'point', filled: true, size: 18, color: 'black' }, encoding: { y, x: { field: 'rate', type: 'quantitative' } } },
      { data: { values: targets }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { field: 'rate', type: 'quantitative' }, color: { field: 'target', type: 'nominal', title: 'targets', legend: { orient: 'bottom', direction: 'vertical', labelLimit: 500 } } } },
    ],
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  writeFileSync(values.plot, await view.toSVG());
  view.finalize();
  log(`plot: ${values.plot}`);
}
