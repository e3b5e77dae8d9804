import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RawImage } from '@huggingface/transformers';
import { embedImages, embedTexts } from '@msae/clip';
import { readEmbeddings } from '@msae/io';
import { runEmbedCli } from '../src/embed-command.js';
import { maxAbsDiff, tinyClipFixtureDir } from './tiny-clip.js';

let model = '';
let root = '';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runEmbedCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), progressBar: false });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  ({ root, model } = await tinyClipFixtureDir());
  await mkdir(join(root, 'imgs', 'sub'), { recursive: true });
  const img = (seed: number) => {
    const rgb = new Uint8Array(40 * 32 * 3);
    for (let i = 0; i < rgb.length; i++) rgb[i] = (i * (seed + 5) + seed * 31) % 256;
    return new RawImage(rgb, 40, 32, 3);
  };
  await img(1).save(join(root, 'imgs', 'x.png'));
  await img(2).save(join(root, 'imgs', 'sub', 'y.png'));
  await writeFile(join(root, 'imgs', 'sub', 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]));
  await writeFile(join(root, 'texts.txt'), 'a cat\n\na dog on a wooden house\r\nzebra\n');
  await mkdir(join(root, 'no-images'));
  await writeFile(join(root, 'no-images', 'readme.txt'), 'nothing here');
});

describe('msae-embed', () => {
  it('--texts writes the .npy, the sidecar JSON and the ids, matching embedTexts', async () => {
    const out = join(root, 'texts.npy');
    const r = await run([
      '--model',
      model,
      '--texts',
      join(root, 'texts.txt'),
      '--out',
      out,
      '--ids',
      join(root, 'ids.txt'),
      '--normalize',
      '--batch-size',
      '2',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ out, count: 3, dimension: 16, model });
    const m = await readEmbeddings(out);
    expect([m.rows, m.cols]).toEqual([3, 16]);
    const direct = await embedTexts(['a cat', 'a dog on a wooden house', 'zebra'], { model, normalize: true });
    expect(maxAbsDiff(m.data, direct.embeddings.data)).toBeLessThan(1e-6);
    const sidecar = JSON.parse(await readFile(join(root, 'texts.json'), 'utf8'));
    expect(sidecar).toEqual({ model, dimension: 16, count: 3, kind: 'texts', normalized: true, ids: ['a cat', 'a dog on a wooden house', 'zebra'] });
    expect(await readFile(join(root, 'ids.txt'), 'utf8')).toBe('a cat\na dog on a wooden house\nzebra\n');
  });

  it('--images embeds a folder; a corrupt image fails the run, or is skipped with --on-error skip', async () => {
    const out = join(root, 'images.npy');
    const failed = await run(['--model', model, '--images', join(root, 'imgs'), '--out', out]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^msae-embed: sub\/broken\.jpg: cannot read image/m);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/); // nothing written
    const r = await run(['--model', model, '--images', join(root, 'imgs'), '--out', out, '--on-error', 'skip']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipped sub\/broken\.jpg/);
    const sidecar = JSON.parse(await readFile(join(root, 'images.json'), 'utf8'));
    expect(sidecar.ids).toEqual(['sub/y.png', 'x.png']);
    expect(sidecar.skipped.map((s: { id: string }) => s.id)).toEqual(['sub/broken.jpg']);
    const m = await readEmbeddings(out);
    const direct = await embedImages([join(root, 'imgs', 'sub', 'y.png'), join(root, 'imgs', 'x.png')], { model });
    expect(maxAbsDiff(m.data, direct.embeddings.data)).toBeLessThan(1e-6);
  });

  it('one-line errors with a non-zero exit', async () => {
    const out = join(root, 'e.npy');
    const cases: Array<[string[], RegExp, number]> = [
      [['--model', model, '--images', join(root, 'missing'), '--out', out], /missing: no such file or folder/, 1],
      [['--model', model, '--images', join(root, 'no-images'), '--out', out], /no-images: no images found/, 1],
      [['--model', model, '--texts', join(root, 'texts.txt'), '--out', out, '--colour', 'red'], /unknown option '--colour'/, 2],
      [['--model', model, '--out', out], /give exactly one of --images DIR or --texts FILE/, 2],
      [['--bogus'], /^msae-embed: unknown option '--bogus'/, 2],
      [['--texts', join(root, 'texts.txt'), '--out', out], /^msae-embed: required option '--model <id\|dir>' not specified/, 2],
      [['--model', model, '--texts', join(root, 'texts.txt')], /^msae-embed: required option '--out <file\.npy>' not specified/, 2],
      [['--model', model, '--texts', join(root, 'nope.txt'), '--out', out], /nope\.txt: no such file/, 1],
      [['--model', model, '--texts', join(root, 'no-images'), '--out', out], /no-images: cannot read: is a directory, expected a file$/, 1],
      [['--model', model, '--texts', join(root, 'texts.txt'), '--out', join(root, 'e.csv')], /--out must end in \.npy/, 2],
      [
        ['--model', model, '--texts', join(root, 'texts.txt'), '--out', out, '--batch-size', '0'],
        /--batch-size must be a positive integer, got '0'/,
        2,
      ],
      [['--model', join(root, 'no-model'), '--texts', join(root, 'texts.txt'), '--out', out], /model folder .*no-model not found/, 1],
      [['--model', join(root, 'no-images'), '--texts', join(root, 'texts.txt'), '--out', out], /model folder .*no-images has no config\.json/, 1],
      [
        ['--model', model, '--texts', join(root, 'texts.txt'), '--out', join(root, 'no-dir', 'e.npy')],
        /no-dir[/\\]e\.npy: cannot write: directory .*no-dir does not exist$/,
        1,
      ],
      // an unwritable --ids must fail before anything is embedded or written (the .npy and sidecar included)
      [
        ['--model', model, '--texts', join(root, 'texts.txt'), '--out', out, '--ids', join(root, 'no-dir', 'ids.txt')],
        /ids\.txt: cannot write: directory .*no-dir does not exist$/,
        1,
      ],
    ];
    for (const [args, message, code] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(code);
      const errors = r.stderr.split('\n').filter((l) => l && !l.startsWith('msae-embed: loading'));
      expect(errors, args.join(' ')).toHaveLength(1);
      expect(errors[0]).toMatch(message);
    }
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(root, 'e.json'))).rejects.toThrow(/ENOENT/);
  });
});
