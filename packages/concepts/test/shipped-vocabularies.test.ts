import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import {
  decodeShippedVocabulary,
  loadShippedVocabulary,
  nameLatents,
  SHIPPED_VOCABULARIES,
  shippedVocabulariesFor,
  shippedVocabulary,
  ShippedVocabularyError,
  shippedVocabularyPath,
} from '../src/index.js';

function dot(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += a[i * dim + d] * b[j * dim + d];
  return s;
}

describe('shipped vocabularies', () => {
  it.each(SHIPPED_VOCABULARIES.map((v) => v.id))('%s loads as unit-norm float32 rows with one label each', async (id) => {
    const v = await loadShippedVocabulary(id);
    const meta = shippedVocabulary(id);
    expect(v.embeddings.rows).toBe(meta.size);
    expect(v.embeddings.cols).toBe(512);
    expect(v.labels).toHaveLength(meta.size);
    for (let r = 0; r < v.embeddings.rows; r += 97) {
      expect(Math.sqrt(dot(v.embeddings.data, r, v.embeddings.data, r, 512))).toBeCloseTo(1, 2);
    }
    const licence = await readFile(shippedVocabularyPath(meta.licenseFile), 'utf8');
    expect(licence).toContain('Apache License');
  });

  it('the 2,303 vocabulary repeats the Detic rows it adds (same text, same fp16 embedding)', async () => {
    const detic = await loadShippedVocabulary('clip-vit-b32-detic-1592');
    const merged = await loadShippedVocabulary('clip-vit-b32-imagenet-detic-2303');
    const at = merged.labels.indexOf('aerosol can');
    const src = detic.labels.indexOf('aerosol can');
    expect(at).toBeGreaterThan(900);
    expect(dot(merged.embeddings.data, at, detic.embeddings.data, src, 512)).toBeGreaterThan(0.999);
  });

  it('a decoder made of vocabulary embeddings gets the right real names', async () => {
    const v = await loadShippedVocabulary('clip-vit-b32-detic-1592');
    const picked = [11, 200, 777, 1500];
    const decoder = new Float32Array(picked.length * 512);
    picked.forEach((row, i) => decoder.set(v.embeddings.data.subarray(row * 512, (row + 1) * 512), i * 512));
    const res = await nameLatents({ decoder: { data: decoder, rows: picked.length, cols: 512 }, vocabulary: v });
    expect(res.latents.map((l) => l.name)).toEqual(picked.map((r) => v.labels[r]));
  });

  it('rejects unknown ids and mismatched files with a typed error', async () => {
    expect(() => shippedVocabulary('nope')).toThrow(ShippedVocabularyError);
    expect(shippedVocabulariesFor(768)).toEqual([]);
    expect(shippedVocabulariesFor(512)).toHaveLength(2);
    const meta = shippedVocabulary('clip-vit-b32-detic-1592');
    const npy = await readFile(shippedVocabularyPath(meta.embeddingsFile));
    expect(() => decodeShippedVocabulary(meta, new Uint8Array(npy), '["a", "b"]')).toThrow(/has 2 labels for 1592/);
    expect(() => decodeShippedVocabulary(meta, new Uint8Array(npy), '{"a": 1}')).toThrow(/JSON array of strings/);
  });
});
