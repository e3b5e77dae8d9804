import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyClipFiles } from '../../src/testing.js';

// `@msae/clip/testing` as a consumer resolves it (the built package, through its exports map), ESM and CJS.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'msae-clip-testing-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function runNode(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: packageDir });
  return stdout.trim();
}

describe('@msae/clip/testing export', () => {
  it('import: writeTinyClipFixture writes exactly the fixture files', async () => {
    const dir = join(root, 'esm');
    const script = `import { writeTinyClipFixture } from '@msae/clip/testing'; console.log(await writeTinyClipFixture(${JSON.stringify(dir)}));`;
    expect(await runNode(['--input-type=module', '-e', script])).toBe(dir);
    const files = tinyClipFiles();
    expect(files.size).toBe(7);
    for (const [name, bytes] of files) expect([name, Buffer.compare(await readFile(join(dir, name)), bytes)]).toEqual([name, 0]);
  });

  it('require: the CJS build exports the same functions', async () => {
    const script = `const t = require('@msae/clip/testing'); console.log([typeof t.writeTinyClipFixture, typeof t.tinyClip, t.TINY_CLIP_FIXTURE_VERSION].join(' '));`;
    expect(await runNode(['-e', script])).toBe('function function 1');
  });

  it('the main entry does not carry the fixture', async () => {
    const script = `import * as clip from '@msae/clip'; console.log(['writeTinyClipFixture', 'tinyClip'].filter((n) => n in clip).length);`;
    expect(await runNode(['--input-type=module', '-e', script])).toBe('0');
  });
});
