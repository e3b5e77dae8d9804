/**
 * Plain-TypeScript forward pass of the tiny CLIP fixture, written from the Hugging Face CLIP equations
 * (not from the ONNX graph), used to check the generated ONNX files numerically. Float64 accumulation.
 */
import type { EncoderLayerWeights, TinyClipWeights } from '../../src/testing.js';
import { CLIP_IMAGE_MEAN, CLIP_IMAGE_STD } from '../../src/testing.js';

type Rows = Float64Array[];

function layerNorm(x: Rows, scale: Float32Array, bias: Float32Array, eps: number): Rows {
  return x.map((row) => {
    const n = row.length;
    let mean = 0;
    for (const v of row) mean += v / n;
    let variance = 0;
    for (const v of row) variance += (v - mean) ** 2 / n;
    const inv = 1 / Math.sqrt(variance + eps);
    return row.map((v, i) => (v - mean) * inv * scale[i] + bias[i]);
  });
}

/** y = x W + b with W stored [in, out]. */
function linear(x: Rows, w: Float32Array, b: Float32Array | null, out: number): Rows {
  return x.map((row) => {
    const y = new Float64Array(out);
    for (let i = 0; i < row.length; i++) for (let o = 0; o < out; o++) y[o] += row[i] * w[i * out + o];
    if (b) for (let o = 0; o < out; o++) y[o] += b[o];
    return y;
  });
}

function encoderLayer(x: Rows, w: EncoderLayerWeights, weights: TinyClipWeights, causal: boolean): Rows {
  const { hidden: h, heads, intermediate, layerNormEps } = weights.sizes;
  const hd = h / heads;
  const n = x.length;
  const ln1 = layerNorm(x, w.ln1Scale, w.ln1Bias, layerNormEps);
  const q = linear(ln1, w.wq, w.bq, h);
  const k = linear(ln1, w.wk, w.bk, h);
  const v = linear(ln1, w.wv, w.bv, h);
  const ctx: Rows = Array.from({ length: n }, () => new Float64Array(h));
  for (let head = 0; head < heads; head++) {
    for (let i = 0; i < n; i++) {
      const keys = causal ? i + 1 : n; // causal: position i sees positions <= i
      const scores = new Float64Array(keys);
      for (let j = 0; j < keys; j++) {
        let s = 0;
        for (let d = 0; d < hd; d++) s += q[i][head * hd + d] * k[j][head * hd + d];
        scores[j] = s / Math.sqrt(hd);
      }
      const max = Math.max(...scores);
      let z = 0;
      for (let j = 0; j < keys; j++) z += Math.exp(scores[j] - max);
      for (let j = 0; j < keys; j++) {
        const p = Math.exp(scores[j] - max) / z;
        for (let d = 0; d < hd; d++) ctx[i][head * hd + d] += p * v[j][head * hd + d];
      }
    }
  }
  const attn = linear(ctx, w.wo, w.bo, h);
  const x1 = x.map((row, i) => row.map((val, d) => val + attn[i][d]));
  const ln2 = layerNorm(x1, w.ln2Scale, w.ln2Bias, layerNormEps);
  const f1 = linear(ln2, w.fc1, w.fc1Bias, intermediate);
  const act = f1.map((row) => row.map((val) => val / (1 + Math.exp(-1.702 * val)))); // x * sigmoid(1.702 x)
  const f2 = linear(act, w.fc2, w.fc2Bias, h);
  return x1.map((row, i) => row.map((val, d) => val + f2[i][d]));
}

/** text_embeds of one unpadded token sequence (pooled at argmax(ids), the end token). */
export function referenceTextEmbedding(weights: TinyClipWeights, ids: number[]): Float64Array {
  const { hidden: h, projection, layerNormEps } = weights.sizes;
  const t = weights.text;
  let x: Rows = ids.map((id, pos) => {
    const row = new Float64Array(h);
    for (let d = 0; d < h; d++) row[d] = t.tokenEmbedding[id * h + d] + t.positionEmbedding[pos * h + d];
    return row;
  });
  for (const layer of t.layers) x = encoderLayer(x, layer, weights, true);
  x = layerNorm(x, t.finalLnScale, t.finalLnBias, layerNormEps);
  let eos = 0;
  ids.forEach((id, i) => {
    if (id > ids[eos]) eos = i;
  });
  return linear([x[eos]], t.projection, null, projection)[0];
}

/** CLIP pixel normalisation of an RGB image already at the model's size: CHW, (v/255 - mean) / std. */
export function referencePixels(rgb: Uint8Array, size: number): Float64Array {
  const out = new Float64Array(3 * size * size);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < size * size; p++) out[c * size * size + p] = (rgb[p * 3 + c] / 255 - CLIP_IMAGE_MEAN[c]) / CLIP_IMAGE_STD[c];
  }
  return out;
}

/** image_embeds of one CHW image (patch conv, class token, positions, pre-LN, encoder, class-token post-LN, projection). */
export function referenceImageEmbedding(weights: TinyClipWeights, pixels: Float64Array): Float64Array {
  const { hidden: h, imageSize: size, patchSize: p, projection, layerNormEps } = weights.sizes;
  const v = weights.vision;
  const grid = size / p;
  const tokens: Rows = [Float64Array.from(v.classEmbedding)];
  for (let gy = 0; gy < grid; gy++) {
    for (let gx = 0; gx < grid; gx++) {
      const row = new Float64Array(h);
      for (let o = 0; o < h; o++) {
        let s = 0;
        for (let c = 0; c < 3; c++)
          for (let ky = 0; ky < p; ky++)
            for (let kx = 0; kx < p; kx++)
              s += v.patchWeight[((o * 3 + c) * p + ky) * p + kx] * pixels[c * size * size + (gy * p + ky) * size + gx * p + kx];
        row[o] = s;
      }
      tokens.push(row);
    }
  }
  let x: Rows = tokens.map((row, i) => row.map((val, d) => val + v.positionEmbedding[i * h + d]));
  x = layerNorm(x, v.preLnScale, v.preLnBias, layerNormEps);
  for (const layer of v.layers) x = encoderLayer(x, layer, weights, false);
  const pooled = layerNorm([x[0]], v.postLnScale, v.postLnBias, layerNormEps);
  return linear(pooled, v.projection, null, projection)[0];
}

/** CLIP's BPE (openai simple_tokenizer.py `bpe`) over the fixture's vocab/merges, for checking tokenizer.json. */
export function referenceBpeIds(tokenizerJson: Record<string, any>, text: string): number[] {
  const model = tokenizerJson.model as { vocab: Record<string, number>; merges: string[] };
  const ranks = new Map(model.merges.map((m, i) => [m, i]));
  const byteChar = new Map<number, string>();
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  let n = 0;
  for (let b = 0; b < 256; b++) byteChar.set(b, String.fromCodePoint(bs.includes(b) ? b : 256 + n++));
  const pattern = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/gu;
  const ids: number[] = [model.vocab['<|startoftext|>']];
  const cleaned = text.normalize('NFC').replace(/\s+/g, ' ').toLowerCase();
  for (const m of cleaned.matchAll(pattern)) {
    let word = [...new TextEncoder().encode(m[0])].map((b) => byteChar.get(b)!);
    word[word.length - 1] += '</w>';
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < word.length; i++) {
        const r = ranks.get(`${word[i]} ${word[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const [a, b] = [word[best], word[best + 1]];
      const next: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === a && word[i + 1] === b) {
          next.push(a + b);
          i++;
        } else next.push(word[i]);
      }
      word = next;
    }
    for (const piece of word) ids.push(model.vocab[piece]);
  }
  ids.push(model.vocab['<|endoftext|>']);
  return ids;
}
