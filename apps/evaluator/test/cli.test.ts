import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceEngine, type Checkpoint, type Matrix } from '@msae/core';
import { alignment, evaluateSae } from '@msae/metrics';
import { encodeNpyHeader } from '@msae/io';
import { lastJson, runCli } from './cli-harness.js';
import { makeCheckpoint, makeData, writeCheckpointDir, writeData } from './fixtures.js';

const dIn = 8;
const dSae = 32;
let dir: string;
let x: Matrix;
let ckptA: Checkpoint;
let ckptB: Checkpoint;
let dirA: string;
let dirB: string;
let dataFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-eval-test-'));
  x = makeData(60, dIn, 1);
  ckptA = makeCheckpoint(x, dSae, 11);
  ckptB = makeCheckpoint(x, dSae, 12);
  dirA = join(dir, 'sae-a');
  dirB = join(dir, 'sae-b');
  await writeCheckpointDir(dirA, ckptA);
  await writeCheckpointDir(dirB, ckptB);
  dataFile = join(dir, 'val.npy');
  await writeData(dataFile, x);
  await writeData(join(dir, 'wide.npy'), makeData(10, dIn + 2, 2));
  // a NaN in row 3, and a file cut short
  const bad = makeData(10, dIn, 3);
  bad.data[3 * dIn + 1] = Number.NaN;
  await writeFile(join(dir, 'nan.npy'), Buffer.concat([Buffer.from(encodeNpyHeader([10, dIn])), Buffer.from(bad.data.buffer)]));
  const good = await readFile(dataFile);
  await writeFile(join(dir, 'truncated.npy'), good.subarray(0, good.length - 100));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expected(ckpt: Checkpoint, ks: number[], cknnaRows: number) {
  const engine = createReferenceEngine();
  await engine.load({ config: ckpt.config, params: ckpt.params });
  return evaluateSae({ engine, x, normalization: ckpt.normalization, ks, cknnaRows });
}

function expectOneLineError(run: { code: number | null; stdout: string; stderr: string }, code: number, pattern: RegExp) {
  expect(run.code).toBe(code);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('msae-eval', () => {
  it('--json: records in k order that match evaluateSae on the reference engine, and --out writes the report', async () => {
    const out = join(dir, 'report-a');
    const run = await runCli(['--checkpoint', dirA, '--data', dataFile, '--k', '8,4,all', '--cknna-rows', '30', '--json', '--out', out, '--backend', 'reference']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    for (const line of lines) JSON.parse(line); // every stdout line is JSON
    const json = lastJson(run.stdout);
    expect(json.results.map((r: { k: number }) => r.k)).toEqual([4, 8, dSae]);
    const reference = await expected(ckptA, [4, 8, Infinity], 30);
    json.results.forEach((r: Record<string, number>, i: number) => {
      for (const key of ['fvu', 'fvuGlobal', 'cosine', 'nmae', 'l0', 'sparsity', 'deadLatents', 'cknna'] as const) {
        expect(r[key]).toBeCloseTo(reference[i][key], 6);
      }
    });
    expect(json.rows).toBe(60);

    const saved = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(saved.results).toEqual(json.results);
    const report = await readFile(join(out, 'report.md'), 'utf8');
    expect(report).toContain('| k | L0 | FVU |');
    expect(report.split('\n').filter((l) => /^\| (4|8|32) \|/.test(l))).toHaveLength(3);
    const svg = await readFile(join(out, 'pareto.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // one point per record in each of the two panels (FVU and cosine against L0), plus the connecting lines
    expect(svg.match(/aria-roledescription="point"/g)?.length).toBe(6);
    expect(svg).toMatch(/aria-roledescription="line mark"/);
    expect(svg).toContain(`checkpoint: sae-a; l0: 4; k: 4; fvu: ${reference[0].fvu.toFixed(4)}`);
    const png = await stat(join(out, 'pareto.png')).catch(() => null);
    if (png) expect(png.size).toBeGreaterThan(1000);
  });

  it('prints a Markdown table over the default progressive ks (16, then d_sae)', async () => {
    const run = await runCli(['--checkpoint', dirA, '--data', dataFile, '--backend', 'reference']);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.split('\n').filter((l) => l.startsWith('| '));
    expect(rows[0]).toMatch(/^\| k \| L0 \| FVU \| FVU global \| cosine \| NMAE \| sparsity \| dead \| CKNNA \|$/);
    expect(rows.slice(2).map((l) => Number(l.split('|')[1]))).toEqual([16, 32]);
    const reference = await expected(ckptA, [16, 32], 1000);
    expect(Number(rows[3].split('|')[3])).toBeCloseTo(reference[1].fvu, 4);
  });

  it('--compare puts both checkpoints in one table, one JSON object and one plot', async () => {
    const out = join(dir, 'report-compare');
    const run = await runCli(['--compare', dirA, dirB, '--data', dataFile, '--k', '4,16', '--json', '--out', out, '--backend', 'reference']);
    expect(run.code, run.stderr).toBe(0);
    const json = lastJson(run.stdout);
    expect(json.results.map((r: { checkpoint: string; k: number }) => `${r.checkpoint}@${r.k}`)).toEqual(['sae-a@4', 'sae-a@16', 'sae-b@4', 'sae-b@16']);
    const reference = await expected(ckptB, [4, 16], 1000);
    expect(json.results[3].fvu).toBeCloseTo(reference[1].fvu, 6);
    const svg = await readFile(join(out, 'pareto.svg'), 'utf8');
    expect(svg.match(/aria-roledescription="point"/g)?.length).toBe(8);
    expect(svg).toContain('sae-b');
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('| checkpoint | k |');
  });

  it('align: a checkpoint matches itself perfectly, and two seeds match as the metric says', async () => {
    const self = await runCli(['align', dirA, dirA, '--json']);
    expect(self.code, self.stderr).toBe(0);
    const s = lastJson(self.stdout);
    expect(s.meanCosine).toBeCloseTo(1, 5);
    expect(s.fractionAbove07).toBe(1);
    expect(s.pairs).toBe(dSae);
    const pair = await runCli(['align', dirA, dirB, '--json']);
    expect(pair.code, pair.stderr).toBe(0);
    const p = lastJson(pair.stdout);
    const direct = alignment({ data: ckptA.params.W_dec, rows: dSae, cols: dIn }, { data: ckptB.params.W_dec, rows: dSae, cols: dIn });
    expect(p.meanCosine).toBeCloseTo(direct.meanCosine, 6);
    expect(p.fractionAbove07).toBeCloseTo(direct.fractionAbove07, 12);
    const table = await runCli(['align', dirA, dirB]);
    expect(table.stdout).toContain('| mean matched cosine |');
  });

  it('errors are one line with a non-zero exit and no stack trace', async () => {
    expectOneLineError(await runCli(['--checkpoint', join(dir, 'missing'), '--data', dataFile]), 1, /missing: checkpoint directory not found/);
    expectOneLineError(await runCli(['--checkpoint', dirA, '--data', join(dir, 'wide.npy'), '--backend', 'reference']), 1, /10 dimensions but checkpoint .* d_in = 8/);
    expectOneLineError(await runCli(['--checkpoint', dirA, '--data', join(dir, 'nope.npy'), '--backend', 'reference']), 1, /nope\.npy/);
    expectOneLineError(await runCli(['--checkpoint', dirA, '--data', join(dir, 'nan.npy'), '--backend', 'reference']), 1, /nan\.npy: row 3 has a non-finite value/);
    expectOneLineError(await runCli(['--checkpoint', dirA, '--data', join(dir, 'truncated.npy'), '--backend', 'reference']), 1, /truncated\.npy/);
    expectOneLineError(await runCli(['--checkpoint', dirA, '--data', dataFile, '--k', '16,x']), 2, /'x' is not a positive integer/);
    expectOneLineError(await runCli(['--checkpoint', dirA, '--data', dataFile, '--frobnicate']), 2, /unknown option '--frobnicate'/);
    expectOneLineError(await runCli(['--checkpoint', dirA]), 2, /missing --data/);
    expectOneLineError(await runCli(['--checkpoint', dirA, '--data', dataFile, '--backend', 'gpu9000']), 2, /--backend/);
    expectOneLineError(await runCli(['align', dirA]), 2, /missing required argument/);
  });

  it('every subcommand reports an unknown option (exit 2) before a missing required option', async () => {
    for (const sub of ['latents', 'name', 'search', 'steer', 'bias', 'convert']) {
      expectOneLineError(await runCli([sub, '--bogus']), 2, /unknown option '--bogus'/);
    }
    // without the unknown option, the missing required option is still reported
    expectOneLineError(await runCli(['latents', '--checkpoint', dirA]), 2, /required option '--out <dir>' not specified/);
    expectOneLineError(await runCli(['name', '--data', dataFile]), 2, /required option '--checkpoint <dir>' not specified/);
  });

  it('an unwritable --out fails before evaluating, in one line naming the directory, and writes nothing', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const out = join(blocker, 'report');
    const run = await runCli(['--checkpoint', dirA, '--data', dataFile, '--backend', 'reference', '--out', out]);
    expectOneLineError(run, 1, new RegExp(`^msae-eval: ${out}: cannot write: ${blocker} is not a directory$`));
    expect(run.stdout).toBe('');
  });
});
