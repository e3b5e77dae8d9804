// A checkpoint save killed at any step leaves a loadable checkpoint at its path (issue 22, item 3): a child
// process saving over an existing checkpoint is SIGKILLed at each step of the swap (kill-at.cjs), then the next
// reader finds the old or the new complete checkpoint at the path and no leftovers.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCheckpointTarget, loadCheckpoint, saveCheckpoint } from '../src/index.js';
import { tempDir } from './fixtures.js';
import { seededCheckpoint } from './save-child.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let script: string;
const preload = fileURLToPath(new URL('./kill-at.cjs', import.meta.url));

beforeAll(async () => {
  tmp = await tempDir();
  script = join(tmp.dir, 'save-child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./save-child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await tmp.cleanup();
});

/** Run the child saving seed `seed` to `dir`, killed at `killAt`; resolves with the signal that ended it. */
function saveInChild(dir: string, seed: number, killAt: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--require', preload, script, dir, String(seed)], { env: { ...process.env, MSAE_KILL_AT: killAt } });
    child.on('exit', (_code, signal) => resolve(signal));
  });
}

describe('a save killed between its steps', () => {
  const cases: [string, number, (names: string[]) => void][] = [
    // killed before the new copy is marked complete: the old checkpoint stays, the partial copy is removed
    ['complete', 1, (names) => expect(names.some((n) => n.startsWith('.run.tmp-'))).toBe(true)],
    // killed between the two renames: no directory at the path, but the complete new copy and the old one
    [
      'swap',
      2,
      (names) => {
        expect(names).not.toContain('run');
        expect(names.some((n) => n.startsWith('.run.new-'))).toBe(true);
        expect(names.some((n) => n.startsWith('.run.old-'))).toBe(true);
      },
    ],
    // killed after the swap, before the old copy was removed
    ['cleanup', 2, (names) => expect(names.some((n) => n.startsWith('.run.old-'))).toBe(true)],
  ];
  for (const [killAt, expectedSeed, leftovers] of cases) {
    it(`at '${killAt}': the next reader finds checkpoint ${expectedSeed} at the path, report.md kept, no leftovers`, async () => {
      const parent = join(tmp.dir, killAt);
      const dir = join(parent, 'run');
      await mkdir(parent);
      await saveCheckpoint(dir, seededCheckpoint(1), { trainerState: { seed: 1 } });
      await writeFile(join(dir, 'report.md'), '# kept');
      expect(await saveInChild(dir, 2, killAt)).toBe('SIGKILL');
      leftovers(await readdir(parent));

      const back = await loadCheckpoint(dir, { resume: false });
      expect(back.params).toEqual(seededCheckpoint(expectedSeed).params);
      expect(back.trainerState).toEqual({ seed: expectedSeed });
      expect(await readFile(join(dir, 'report.md'), 'utf8')).toBe('# kept');
      expect(await readdir(parent)).toEqual(['run']);
    });
  }

  it('the next save recovers too, and leftovers of a running process are left alone', async () => {
    const parent = join(tmp.dir, 'next-save');
    const dir = join(parent, 'run');
    await mkdir(parent);
    await saveCheckpoint(dir, seededCheckpoint(1));
    expect(await saveInChild(dir, 2, 'swap')).toBe('SIGKILL');
    await checkCheckpointTarget(dir); // what train does before it starts: recovers, then checks
    expect((await loadCheckpoint(dir)).params).toEqual(seededCheckpoint(2).params);
    // pid 1 is running: its half-written copy is not touched by a reader or a save
    await mkdir(join(parent, '.run.tmp-1-abcd'));
    await saveCheckpoint(dir, seededCheckpoint(3));
    expect((await loadCheckpoint(dir)).params).toEqual(seededCheckpoint(3).params);
    expect((await readdir(parent)).sort()).toEqual(['.run.tmp-1-abcd', 'run']);
  });
});
