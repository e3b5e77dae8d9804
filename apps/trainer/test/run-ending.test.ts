// How a training run ends (issue 22, items 4 and 5): SIGTERM / SIGHUP save like Ctrl-C and exit 128 + n with
// one line; periodic checkpoints (--save-every) survive a SIGKILL; one writer per --out; another run's
// checkpoint is replaced only with --force. Every resumed run is compared with one uninterrupted run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoEmbeddings } from '@msae/core';
import { loadCheckpoint, writeEmbeddings } from '@msae/io';
import { runCli, type CliRun } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'msae-run-ending-'));
const trainFile = join(dir, 'train.npy');
const valFile = join(dir, 'val.npy');
const common = ['--data', trainFile, '--val', valFile, '--latents', '128', '--k', '8', '--batch-size', '64', '--lr', '0.003', '--backend', 'reference', '--seed', '7'];
const straight = join(dir, 'straight');

beforeAll(async () => {
  const opts = { dIn: 32, coarse: 6, finePerCoarse: 3, noise: 0.002 };
  await writeEmbeddings(trainFile, generateDemoEmbeddings({ rows: 640, seed: 1, ...opts }).x);
  await writeEmbeddings(valFile, generateDemoEmbeddings({ rows: 200, seed: 2, ...opts }).x);
  const run = await runCli([...common, '--epochs', '4', '--out', straight]);
  expect(run.code, run.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Train 4 epochs into `out`, sending `signal` on the second epoch line. */
function stoppedRun(out: string, signal: NodeJS.Signals, extra: string[] = []): Promise<CliRun> {
  let epochs = 0;
  return runCli([...common, '--epochs', '4', '--out', out, '--json', ...extra], (line, kill) => {
    if (line.includes('"event":"epoch"') && ++epochs === 2) kill(signal);
  });
}

async function expectSameAsStraight(out: string): Promise<void> {
  const resumed = await runCli([...common, '--resume', out, '--json']);
  expect(resumed.code, resumed.stderr).toBe(0);
  const a = await loadCheckpoint(straight);
  const b = await loadCheckpoint(out);
  expect(b.training?.steps).toBe(a.training?.steps);
  const maxDiff = a.params.W_dec.reduce((m, v, i) => Math.max(m, Math.abs(v - b.params.W_dec[i])), 0);
  expect(maxDiff).toBeLessThan(1e-6);
}

describe('how a run ends', () => {
  it('SIGTERM mid-run saves, prints one line, exits 143, and resumes to the uninterrupted result', async () => {
    const out = join(dir, 'term');
    const run = await stoppedRun(out, 'SIGTERM');
    expect(run.code, run.stderr).toBe(143);
    const last = run.stderr.trim().split('\n').pop();
    expect(last).toBe(`msae-train: SIGTERM: checkpoint saved to ${out} (continue with --resume ${out})`);
    expect(run.stderr).not.toContain('Ctrl-C');
    await expectSameAsStraight(out);
  }, 120_000);

  it('SIGHUP (a closed terminal) saves and exits 129', async () => {
    const out = join(dir, 'hup');
    const run = await stoppedRun(out, 'SIGHUP');
    expect(run.code, run.stderr).toBe(129);
    expect(run.stderr.trim().split('\n').pop()).toBe(`msae-train: SIGHUP: checkpoint saved to ${out} (continue with --resume ${out})`);
    expect((await loadCheckpoint(out, { resume: true })).trainerState).toBeDefined();
  }, 120_000);

  it('--save-every: a run killed with SIGKILL leaves its last periodic checkpoint, which resumes to the uninterrupted result', async () => {
    const out = join(dir, 'killed');
    const run = await stoppedRun(out, 'SIGKILL', ['--save-every', '3']);
    expect(run.code).toBe(null); // killed: nothing of the run's own ending ran
    const state = JSON.parse(readFileSync(join(out, 'trainer_state.json'), 'utf8'));
    expect(state.globalStep ?? state.step ?? 1).toBeGreaterThan(0);
    await expectSameAsStraight(out);
  }, 120_000);

  it('two concurrent writers of one --out: the second is refused with one line naming the first', async () => {
    const out = join(dir, 'shared');
    let second: Promise<CliRun> | undefined;
    const first = runCli([...common, '--epochs', '200', '--out', out, '--json'], (line, kill) => {
      if (!line.includes('"event":"epoch"') || second) return;
      second = runCli([...common, '--epochs', '1', '--out', out]);
      void second.then(() => kill('SIGTERM'));
    });
    const firstRun = await first;
    const secondRun = await (second as Promise<CliRun>);
    expect(secondRun.code).toBe(1);
    const lines = secondRun.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^msae-train: ${out}: in use by another training run \\(pid \\d+ on ${hostname()}, started \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\); wait for it to finish or choose another --out$`),
    );
    expect(firstRun.code, firstRun.stderr).toBe(143); // the first went on until stopped, and saved
    expect((await loadCheckpoint(out)).config.dSae).toBe(128);
  }, 180_000);

  it("another run's checkpoint is replaced only with --force (resuming one's own is fine)", async () => {
    const out = join(dir, 'force');
    expect((await runCli([...common, '--epochs', '1', '--out', out])).code).toBe(0);
    const before = readFileSync(join(out, 'sae_weights.safetensors'));
    const refused = await runCli([...common, '--epochs', '1', '--seed', '8', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`msae-train: ${out}: holds the checkpoint of another run; pass --force to replace it (or --resume ${out} to continue it)\n`);
    expect(readFileSync(join(out, 'sae_weights.safetensors'))).toEqual(before);
    // inputs are named first: a missing --data (or --val) before that --out (as after the quick start's train line)
    const missing = join(dir, 'missing.npy');
    expect((await runCli(['--data', missing, '--out', out])).stderr).toBe(`msae-train: ${missing}: not found\n`);
    expect((await runCli(['--data', trainFile, '--val', missing, '--out', out])).stderr).toBe(`msae-train: ${missing}: not found\n`);
    const forced = await runCli([...common, '--epochs', '1', '--seed', '8', '--out', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(out, 'sae_weights.safetensors'))).not.toEqual(before);
  }, 120_000);
});
