import { writeTinyClipFixture } from '@msae/clip/testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVocabulary, nameLatents } from '../src/index.js';

// The tiny random-weight CLIP fixture written by @msae/clip (no network): the real text loader end to end.
let dir: string;
let model: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-clipvocab-'));
  model = await writeTinyClipFixture(join(dir, 'tiny-clip'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('.txt vocabulary through @msae/clip', () => {
  it('embeds with the tiny CLIP, caches, and names a decoder built from the embeddings', async () => {
    const file = join(dir, 'words.txt');
    const words = ['dog', 'cat', 'red car', 'blue sky', 'green tree', 'old house', 'small bird', 'river'];
    await writeFile(file, `${words.join('\n')}\n`);
    const logs: string[] = [];
    const v = await loadVocabulary(file, { model, onLog: (m) => logs.push(m) });
    expect(v.fromCache).toBe(false);
    expect(v.embeddings.rows).toBe(words.length);
    for (let r = 0; r < v.embeddings.rows; r++) {
      let ss = 0;
      for (let c = 0; c < v.embeddings.cols; c++) ss += v.embeddings.data[r * v.embeddings.cols + c] ** 2;
      expect(Math.sqrt(ss)).toBeCloseTo(1, 5);
    }
    const again = await loadVocabulary(file, { model });
    expect(again.fromCache).toBe(true);
    expect(Array.from(again.embeddings.data)).toEqual(Array.from(v.embeddings.data));
    // a decoder whose rows are the text embeddings themselves: each row's best concept is its own word
    const res = await nameLatents({ decoder: v.embeddings, vocabulary: v, centerVocabulary: false, thresholds: { minZ: -Infinity, minMargin: -Infinity } });
    expect(res.latents.map((l) => l.candidates[0].label)).toEqual(words);
    expect(res.latents.every((l) => Math.abs(l.score - 1) < 1e-5)).toBe(true);
  });
});
