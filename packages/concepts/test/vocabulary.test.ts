import { writeEmbeddings } from '@msae/io';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVocabularyPath, loadVocabulary, parseConceptLines, readLabels, vocabularyCachePath } from '../src/index.js';
import { hashEmbedder } from './fake-embedder.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-vocab-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('text vocabularies', () => {
  it('parses one concept per line, trimming, dropping blanks and repeats', () => {
    expect(parseConceptLines(' dog\r\ncat\n\n dog \nhot dog\n')).toEqual(['dog', 'cat', 'hot dog']);
  });

  it('embeds with the template, caches next to the file keyed by model and template, and reuses the cache', async () => {
    const file = join(dir, 'animals.txt');
    await writeFile(file, 'dog\ncat\nzebra\n');
    const embed = hashEmbedder(8);
    const first = await loadVocabulary(file, { model: 'm1', template: 'a photo of a {}.', embed });
    expect(first.labels).toEqual(['dog', 'cat', 'zebra']);
    expect(first.fromCache).toBe(false);
    expect(embed.calls).toEqual([['dog', 'cat', 'zebra']]);
    expect(first.cacheFile).toBe(vocabularyCachePath(file, 'm1', 'a photo of a {}.', 'dog\ncat\nzebra\n'));
    expect(first.cacheFile!.startsWith(dir)).toBe(true);
    const meta = JSON.parse(await readFile(`${first.cacheFile}.json`, 'utf8'));
    expect(meta).toMatchObject({ model: 'm1', template: 'a photo of a {}.', count: 3, dim: 8 });

    const second = await loadVocabulary(file, { model: 'm1', template: 'a photo of a {}.', embed });
    expect(second.fromCache).toBe(true);
    expect(embed.calls).toHaveLength(1);
    expect(Array.from(second.embeddings.data)).toEqual(Array.from(first.embeddings.data));

    // another template or model is another cache entry
    const other = await loadVocabulary(file, { model: 'm1', template: 'a drawing of a {}.', embed });
    expect(other.fromCache).toBe(false);
    expect(other.cacheFile).not.toBe(first.cacheFile);
    await loadVocabulary(file, { model: 'm2', template: 'a photo of a {}.', embed });
    expect(embed.calls).toHaveLength(3);
    // editing the vocabulary invalidates the cache
    await writeFile(file, 'dog\ncat\nzebra\nlion\n');
    const edited = await loadVocabulary(file, { model: 'm1', template: 'a photo of a {}.', embed });
    expect(edited.fromCache).toBe(false);
    expect(edited.embeddings.rows).toBe(4);
    // no temporary files left behind
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('honours cacheDir and cache: false', async () => {
    const file = join(dir, 'colors.txt');
    await writeFile(file, 'red\ngreen\n');
    const cacheDir = join(dir, 'cache');
    const embed = hashEmbedder(4);
    const v = await loadVocabulary(file, { model: 'm', embed, cacheDir });
    expect(v.cacheFile!.startsWith(cacheDir)).toBe(true);
    expect((await loadVocabulary(file, { model: 'm', embed, cacheDir })).fromCache).toBe(true);
    const nocache = await loadVocabulary(file, { model: 'm', embed, cacheDir, cache: false });
    expect(nocache.fromCache).toBe(false);
    expect(embed.calls).toHaveLength(2);
  });

  it('caches in $MSAE_CACHE_DIR when the vocabulary folder is marked read-only', async () => {
    const ro = join(dir, 'readonly');
    await mkdir(ro);
    const file = join(ro, 'shapes.txt');
    await writeFile(file, 'circle\nsquare\n');
    await chmod(ro, 0o555);
    const fallback = join(dir, 'fallback-cache');
    const before = process.env.MSAE_CACHE_DIR;
    process.env.MSAE_CACHE_DIR = fallback;
    try {
      const v = await loadVocabulary(file, { model: 'm', embed: hashEmbedder(4) });
      expect(v.cacheFile!.startsWith(fallback)).toBe(true);
      expect(await readdir(ro)).toEqual(['shapes.txt']);
      expect((await loadVocabulary(file, { model: 'm', embed: hashEmbedder(4) })).fromCache).toBe(true);
    } finally {
      if (before === undefined) delete process.env.MSAE_CACHE_DIR;
      else process.env.MSAE_CACHE_DIR = before;
      await chmod(ro, 0o755);
    }
  });

  it('fails with one-line errors naming the file', async () => {
    await expect(loadVocabulary(join(dir, 'missing.txt'), { embed: hashEmbedder(2) })).rejects.toThrow(/missing\.txt: no such file$/);
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '\n\n');
    await expect(loadVocabulary(empty, { embed: hashEmbedder(2) })).rejects.toThrow(/empty\.txt: holds no concepts/);
    await expect(loadVocabulary(join(dir, 'x.csv'))).rejects.toThrow(/x\.csv: unknown vocabulary type/);
    const file = join(dir, 'one.txt');
    await writeFile(file, 'one\n');
    await expect(loadVocabulary(file, { embed: hashEmbedder(2), template: 'no slot' })).rejects.toThrow(/must contain \{\}/);
  });

  it('ships a default English vocabulary of 20,000 words without stop words', async () => {
    const words = parseConceptLines(await readFile(defaultVocabularyPath(), 'utf8'));
    expect(words).toHaveLength(20000);
    for (const w of ['dog', 'car', 'house', 'water', 'man', 'woman']) expect(words).toContain(w);
    for (const w of ['the', 'and', 'of', 'which', 'not']) expect(words).not.toContain(w);
  });
});

describe('precomputed vocabularies', () => {
  it('reads .npy embeddings with .json or .txt labels', async () => {
    const npy = join(dir, 'classes_3_2.npy');
    await writeEmbeddings(npy, { data: Float32Array.of(1, 0, 0, 1, 0.6, 0.8), rows: 3, cols: 2 });
    await writeFile(join(dir, 'classes.json'), JSON.stringify(['crane', 'kite', 'crane']));
    await writeFile(join(dir, 'classes.txt'), 'crane\nkite\ncrane\n');
    const a = await loadVocabulary(npy, { labels: join(dir, 'classes.json') });
    const b = await loadVocabulary(npy, { labels: join(dir, 'classes.txt') });
    expect(a.labels).toEqual(['crane', 'kite', 'crane']);
    expect(b.labels).toEqual(a.labels);
    expect(Array.from(a.embeddings.data)).toEqual(Array.from(Float32Array.of(1, 0, 0, 1, 0.6, 0.8)));
    expect(await readLabels(join(dir, 'classes.txt'))).toHaveLength(3);
  });

  it('rejects missing or mismatched labels and bad JSON', async () => {
    const npy = join(dir, 'two.npy');
    await writeEmbeddings(npy, { data: new Float32Array(4).fill(1), rows: 2, cols: 2 });
    await expect(loadVocabulary(npy)).rejects.toThrow(/two\.npy: precomputed embeddings need a labels file/);
    await writeFile(join(dir, 'three.json'), '["a","b","c"]');
    await expect(loadVocabulary(npy, { labels: join(dir, 'three.json') })).rejects.toThrow(/three\.json: has 3 labels but .*two\.npy has 2 rows/);
    await writeFile(join(dir, 'bad.json'), '{"a": 1}');
    await expect(loadVocabulary(npy, { labels: join(dir, 'bad.json') })).rejects.toThrow(/bad\.json: expected a JSON array of strings/);
    await writeFile(join(dir, 'trunc.npy'), new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]));
    await expect(loadVocabulary(join(dir, 'trunc.npy'), { labels: join(dir, 'three.json') })).rejects.toThrow(/trunc\.npy/);
  });
});
