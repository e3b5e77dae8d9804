import { Rng, type Matrix } from '@msae/core';
import type { TextEmbedder } from '../src/index.js';

/** A deterministic stand-in for a CLIP text model: each prompt hashes to a seeded random unit vector. */
export function hashEmbedder(dim: number, calls: string[][] = []): TextEmbedder & { calls: string[][] } {
  const embed = async (texts: string[], options: { template: string | string[] }): Promise<Matrix> => {
    calls.push(texts);
    const templates = Array.isArray(options.template) ? options.template : [options.template];
    const data = new Float32Array(texts.length * dim);
    texts.forEach((t, r) => {
      for (const tpl of templates) {
        const prompt = tpl.replace('{}', t);
        let h = 2166136261;
        for (let i = 0; i < prompt.length; i++) h = Math.imul(h ^ prompt.charCodeAt(i), 16777619);
        const rng = new Rng(h >>> 0);
        for (let c = 0; c < dim; c++) data[r * dim + c] += rng.normal();
      }
      let ss = 0;
      for (let c = 0; c < dim; c++) ss += data[r * dim + c] ** 2;
      for (let c = 0; c < dim; c++) data[r * dim + c] /= Math.sqrt(ss);
    });
    return { data, rows: texts.length, cols: dim };
  };
  return Object.assign(embed, { calls });
}
