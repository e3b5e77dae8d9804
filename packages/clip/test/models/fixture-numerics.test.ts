import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { tinyClip, tinyClipFiles } from '../../src/testing.js';
import { embedImages, embedTexts } from '../../src/models/index.js';
import { referenceBpeIds, referenceImageEmbedding, referencePixels, referenceTextEmbedding } from './clip-reference.js';
import { maxAbsDiff, row, tinyClipFixtureDir } from './fixture-dir.js';

const clip = tinyClip();
let model = '';

beforeAll(async () => {
  ({ model } = await tinyClipFixtureDir());
});

describe('tiny CLIP fixture', () => {
  it('is deterministic: generating twice gives identical bytes', () => {
    const a = tinyClipFiles();
    const b = tinyClipFiles();
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [name, bytes] of a) expect(Buffer.compare(Buffer.from(bytes), Buffer.from(b.get(name)!))).toBe(0);
  });

  it('tokenizer.json tokenizes like CLIP BPE (reference implementation)', async () => {
    env.allowRemoteModels = false;
    env.localModelPath = join(model, '..') + '/';
    const tokenizer = await AutoTokenizer.from_pretrained('tiny-clip');
    const json = JSON.parse(await readFile(join(model, 'tokenizer.json'), 'utf8'));
    for (const text of ['a photo of a cat.', 'A   BLURRY photo of the dog!!', "it's 42 zebras, isn't it?", 'ünïcode café']) {
      expect(tokenizer.encode(text)).toEqual(referenceBpeIds(json, text));
    }
    expect(tokenizer.encode('a photo of a cat.').length).toBeLessThan(10); // merges are used
  });

  it('text tower: ONNX through the loader matches the plain-TS forward (1e-4)', async () => {
    const texts = ['a photo of a cat.', 'a dog', 'the quick brown fox jumps over the lazy dog'];
    const tokenizer = await AutoTokenizer.from_pretrained('tiny-clip');
    const out = await embedTexts(texts, { model });
    expect(out.dim).toBe(16);
    texts.forEach((t, i) => {
      const ref = referenceTextEmbedding(clip.weights, tokenizer.encode(t));
      expect(maxAbsDiff(row(out.embeddings, i), ref)).toBeLessThan(1e-4);
    });
  });

  it('vision tower: ONNX through the loader matches the plain-TS forward (1e-4)', async () => {
    const size = 32;
    const rgb = new Uint8Array(size * size * 3);
    for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 37 + ((i / 7) | 0) * 11) % 256;
    const out = await embedImages([{ data: rgb, width: size, height: size }], { model });
    expect(out.embeddings.rows).toBe(1);
    const ref = referenceImageEmbedding(clip.weights, referencePixels(rgb, size));
    expect(maxAbsDiff(row(out.embeddings, 0), ref)).toBeLessThan(1e-4);
  });
});
