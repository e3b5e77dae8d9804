import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { tinyClip } from '../../src/testing.js';
import {
  classPrompts,
  clipTokenIds,
  embedClassNames,
  embedTexts,
  IMAGENET_TEMPLATES,
  IMAGENET_TEMPLATES_7,
  PHOTO_TEMPLATE,
} from '../../src/models/index.js';
import { referenceTextEmbedding } from './clip-reference.js';
import { maxAbsDiff, row, tinyClipFixtureDir } from './fixture-dir.js';

let model = '';
let tokenizer: PreTrainedTokenizer;
const clip = tinyClip();

beforeAll(async () => {
  ({ model } = await tinyClipFixtureDir());
  env.allowRemoteModels = false;
  env.localModelPath = join(model, '..') + '/';
  tokenizer = await AutoTokenizer.from_pretrained('tiny-clip');
});

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

describe('embedTexts', () => {
  it('returns one row per text, the projection dimension, ids and the model', async () => {
    const texts = ['a cat', 'a dog', 'a red car', 'zebra', ''];
    const out = await embedTexts(texts, { model, batchSize: 2 });
    expect(out.embeddings.rows).toBe(5);
    expect(out.embeddings.cols).toBe(16);
    expect(out.dim).toBe(16);
    expect(out.embeddings.data.length).toBe(80);
    expect(out.ids).toEqual(texts);
    expect(out.model).toBe(model);
    expect(out.embeddings.data.every(Number.isFinite)).toBe(true);
    // different texts give different embeddings
    expect(maxAbsDiff(row(out.embeddings, 0), row(out.embeddings, 1))).toBeGreaterThan(1e-2);
  });

  it('is padding invariant: a short text alone equals the same text batched with a long one', async () => {
    const alone = await embedTexts(['a cat'], { model });
    const padded = await embedTexts(['a cat', 'a photo of a very large striped orange cat sitting on a wooden house'], { model });
    expect(tokenizer.encode('a cat').length).toBeLessThan(tokenizer.encode(padded.ids[1]).length);
    expect(maxAbsDiff(row(alone.embeddings, 0), row(padded.embeddings, 0))).toBeLessThan(1e-5);
  });

  it('is batch invariant: batch size 1 and 8 agree, and progress reaches the total', async () => {
    const texts = Array.from({ length: 7 }, (_, i) => `a photo of ${i} small dogs`);
    const seen: number[] = [];
    const one = await embedTexts(texts, { model, batchSize: 1, onProgress: (p) => seen.push(p.done) });
    const eight = await embedTexts(texts, { model, batchSize: 8 });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(maxAbsDiff(one.embeddings.data, eight.embeddings.data)).toBeLessThan(1e-5);
  });

  it('normalize: unit rows equal to the raw rows divided by their norm', async () => {
    const texts = ['a bird', 'a fish'];
    const raw = await embedTexts(texts, { model });
    const unit = await embedTexts(texts, { model, normalize: true });
    for (let r = 0; r < 2; r++) {
      const n = norm(row(raw.embeddings, r));
      expect(Math.abs(n - 1)).toBeGreaterThan(1e-3); // raw rows are not unit already
      expect(norm(row(unit.embeddings, r))).toBeCloseTo(1, 6);
      expect(maxAbsDiff(row(unit.embeddings, r), Array.from(row(raw.embeddings, r), (v) => v / n))).toBeLessThan(1e-6);
    }
  });

  it('cuts long text to 75 tokens and puts the end token back at position 77', async () => {
    const long = Array.from({ length: 120 }, (_, i) => (i % 2 ? 'cat' : 'dog')).join(' ');
    const other = long + ' and many more words after the cut about zebras';
    const ids = clipTokenIds(tokenizer, long, 77);
    const full = tokenizer.encode(long);
    expect(full.length).toBeGreaterThan(77);
    expect(ids.length).toBe(77);
    expect(ids[0]).toBe(tokenizer.bos_token_id);
    expect(ids[76]).toBe(tokenizer.eos_token_id);
    expect(ids.slice(1, 76)).toEqual(full.slice(1, 76));
    const out = await embedTexts([long, other, 'a cat'], { model });
    // equals the reference forward of [start, 75 tokens, end]
    expect(maxAbsDiff(row(out.embeddings, 0), referenceTextEmbedding(clip.weights, ids))).toBeLessThan(1e-4);
    // what follows the cut does not matter
    expect(maxAbsDiff(row(out.embeddings, 0), row(out.embeddings, 1))).toBeLessThan(1e-5);
    // plain truncation (no end token) would pool elsewhere and give another vector
    const naive = full.slice(0, 77);
    expect(maxAbsDiff(referenceTextEmbedding(clip.weights, naive), row(out.embeddings, 0))).toBeGreaterThan(1e-2);
  });

  it('rejects bad options with one-line errors', async () => {
    await expect(embedTexts(['a'], { model, batchSize: 0 })).rejects.toThrow(/batch size must be a positive integer/);
    await expect(embedTexts(['a'], { model: join(model, 'missing') })).rejects.toThrow(/model folder .*missing not found/);
    await expect(embedTexts(['a', 'b'], { model, ids: ['x'] })).rejects.toThrow(/1 ids given for 2 texts/);
  });
});

describe('prompt templates', () => {
  it('fills "{}" with each class name', () => {
    expect(classPrompts(['cat', 'dog'])).toEqual([['a photo of a cat.'], ['a photo of a dog.']]);
    expect(classPrompts(['tree'], ['itap of a {}.', 'a {} in a video game.'])).toEqual([
      ['itap of a tree.', 'a tree in a video game.'],
    ]);
    expect(IMAGENET_TEMPLATES).toHaveLength(80);
    expect(new Set(IMAGENET_TEMPLATES).size).toBe(80);
    expect(IMAGENET_TEMPLATES).toContain(PHOTO_TEMPLATE);
    for (const t of IMAGENET_TEMPLATES_7) expect(IMAGENET_TEMPLATES).toContain(t);
    expect(() => classPrompts(['x'], ['no placeholder'])).toThrow(/no \{\} placeholder/);
  });

  it('embedClassNames averages unit template embeddings and renormalizes', async () => {
    const names = ['cat', 'striped dog'];
    const templates = IMAGENET_TEMPLATES_7;
    const out = await embedClassNames(names, { model, templates, batchSize: 5 });
    expect(out.ids).toEqual(names);
    expect(out.embeddings.rows).toBe(2);
    const prompts = classPrompts(names, templates);
    for (let c = 0; c < names.length; c++) {
      const each = await embedTexts(prompts[c], { model, normalize: true });
      const mean = new Float64Array(16);
      for (let t = 0; t < templates.length; t++) row(each.embeddings, t).forEach((v, d) => (mean[d] += v / templates.length));
      const n = norm(mean);
      expect(maxAbsDiff(row(out.embeddings, c), Array.from(mean, (v) => v / n))).toBeLessThan(1e-5);
      expect(norm(row(out.embeddings, c))).toBeCloseTo(1, 6);
    }
    // a single template gives the normalized single-prompt embedding
    const single = await embedClassNames(['cat'], { model });
    const direct = await embedTexts(['a photo of a cat.'], { model, normalize: true });
    expect(maxAbsDiff(single.embeddings.data, direct.embeddings.data)).toBeLessThan(1e-6);
  });
});
