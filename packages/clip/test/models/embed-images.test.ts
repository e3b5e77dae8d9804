import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RawImage } from '@huggingface/transformers';
import { embedImages, listImageFiles } from '../../src/models/index.js';
import { maxAbsDiff, row, tinyClipFixtureDir } from './fixture-dir.js';

let model = '';
let root = '';

function pattern(width: number, height: number, seed: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * (seed * 2 + 13) + seed * 71) % 256;
  return rgb;
}

function uniform(width: number, height: number, [r, g, b]: number[]): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.set([r, g, b], i * 3);
  return rgb;
}

async function saveImage(path: string, rgb: Uint8Array, width: number, height: number): Promise<void> {
  await new RawImage(rgb, width, height, 3).save(path);
}

beforeAll(async () => {
  ({ root, model } = await tinyClipFixtureDir());
  const images = join(root, 'images');
  await mkdir(join(images, 'b', 'deep'), { recursive: true });
  await saveImage(join(images, 'a.png'), pattern(32, 32, 1), 32, 32);
  await saveImage(join(images, 'b', 'c.jpg'), pattern(40, 40, 2), 40, 40);
  await saveImage(join(images, 'b', 'deep', 'd.webp'), pattern(32, 48, 3), 32, 48);
  await writeFile(join(images, 'notes.txt'), 'not an image');
  await mkdir(join(root, 'empty'));
  const broken = join(root, 'broken');
  await mkdir(broken);
  await saveImage(join(broken, 'good.png'), pattern(32, 32, 4), 32, 32);
  await writeFile(join(broken, 'bad.png'), Buffer.from('this is not a png at all'));
  await saveImage(join(broken, 'zz.png'), pattern(32, 32, 5), 32, 32);
});

describe('embedImages', () => {
  it('walks folders recursively, sorted, with relative-path ids; png, jpg and webp', async () => {
    const folder = join(root, 'images');
    expect(await listImageFiles(folder)).toEqual(['a.png', 'b/c.jpg', 'b/deep/d.webp']);
    const out = await embedImages([folder], { model, batchSize: 2 });
    expect(out.ids).toEqual(['a.png', 'b/c.jpg', 'b/deep/d.webp']);
    expect(out.embeddings.rows).toBe(3);
    expect(out.embeddings.cols).toBe(16);
    expect(out.skipped).toEqual([]);
    // the lossless PNG equals the same pixels given as a raw buffer
    const raw = await embedImages([{ data: pattern(32, 32, 1), width: 32, height: 32 }], { model });
    expect(maxAbsDiff(row(out.embeddings, 0), row(raw.embeddings, 0))).toBeLessThan(1e-5);
    // a file path is embedded with its path as id
    const file = await embedImages([join(folder, 'a.png')], { model });
    expect(file.ids).toEqual([join(folder, 'a.png')]);
    expect(maxAbsDiff(file.embeddings.data, raw.embeddings.data)).toBeLessThan(1e-5);
  });

  it('resizes and centre-crops images of another size (uniform colour stays uniform)', async () => {
    const colour = [200, 90, 30];
    const small = await embedImages([{ data: uniform(32, 32, colour), width: 32, height: 32 }], { model });
    const big = await embedImages([{ data: uniform(96, 64, colour), width: 96, height: 64 }], { model });
    const other = await embedImages([{ data: uniform(96, 64, [30, 90, 200]), width: 96, height: 64 }], { model });
    expect(maxAbsDiff(small.embeddings.data, big.embeddings.data)).toBeLessThan(1e-3);
    expect(maxAbsDiff(big.embeddings.data, other.embeddings.data)).toBeGreaterThan(1e-2);
  });

  it('is batch invariant and normalizes on request', async () => {
    const imgs = [1, 2, 3, 4, 5].map((s) => ({ data: pattern(32, 32, s), width: 32, height: 32 }));
    const a = await embedImages(imgs, { model, batchSize: 1 });
    const b = await embedImages(imgs, { model, batchSize: 5, normalize: true });
    for (let r = 0; r < 5; r++) {
      const x = row(a.embeddings, r);
      const n = Math.hypot(...x);
      expect(maxAbsDiff(row(b.embeddings, r), Array.from(x, (v) => v / n))).toBeLessThan(1e-5);
    }
    expect(a.ids).toEqual(['image-0', 'image-1', 'image-2', 'image-3', 'image-4']);
  });

  it('reports a corrupt image by path: fails by default, skipped with onError skip', async () => {
    const folder = join(root, 'broken');
    await expect(embedImages([folder], { model })).rejects.toThrow(/^bad\.png: cannot read image/);
    const skippedSeen: string[] = [];
    const out = await embedImages([folder], { model, onError: 'skip', onSkip: (s) => skippedSeen.push(s.id) });
    expect(out.ids).toEqual(['good.png', 'zz.png']);
    expect(out.embeddings.rows).toBe(2);
    expect(out.skipped.map((s) => s.id)).toEqual(['bad.png']);
    expect(out.skipped[0].error).not.toMatch(/\n/);
    expect(skippedSeen).toEqual(['bad.png']);
    const good = await embedImages([join(folder, 'good.png'), join(folder, 'zz.png')], { model });
    expect(maxAbsDiff(out.embeddings.data, good.embeddings.data)).toBeLessThan(1e-5);
  });

  it('one-line errors: missing folder, empty folder, wrong raw buffer size', async () => {
    await expect(embedImages([join(root, 'nope')], { model })).rejects.toThrow(/nope: no such file or folder/);
    await expect(embedImages([join(root, 'empty')], { model })).rejects.toThrow(/empty: no images found/);
    await expect(embedImages([{ data: new Uint8Array(10), width: 4, height: 4 }], { model })).rejects.toThrow(
      /image-0: raw buffer has 10 bytes, 4x4x3 needs 48/,
    );
  });
});
