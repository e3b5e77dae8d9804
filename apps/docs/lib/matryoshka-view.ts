import { createReferenceEngine, denormalize, normalize, type Matrix, type Normalization, type SaeConfig, type SaeParams } from '@msae/core';

export interface MatryoshkaLevel {
  k: number;
  /** The row's top latents at this budget (at most `show`), strongest first. */
  latents: Array<{ latent: number; value: number }>;
  /** What this level adds: latents active at this k but not at the previous level (at most `show`), strongest first. */
  added: Array<{ latent: number; value: number }>;
  /** How many latents this level adds in all. */
  addedCount: number;
  /** cos(x, x^_k): reconstruction cosine in the original space. */
  cosine: number;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb); // cos = <a, b> / (|a| |b|)
}

/**
 * Matryoshka made visible: encode one row at each budget k (per-row TopK of the ReLU codes), decode,
 * undo the normalization and report the top latents and cos(x, x^_k) per level.
 */
export async function matryoshkaLevels(
  sae: { config: SaeConfig; params: SaeParams; normalization: Normalization },
  x: Matrix,
  row: number,
  ks: number[],
  show = 8,
): Promise<MatryoshkaLevel[]> {
  const engine = createReferenceEngine();
  await engine.load({ config: sae.config, params: sae.params });
  const original = x.data.slice(row * x.cols, (row + 1) * x.cols);
  const xn = normalize(original, sae.normalization);
  const levels: MatryoshkaLevel[] = [];
  let before = new Set<number>();
  for (const k of ks.filter((k) => k <= sae.config.dSae)) {
    const z = await engine.encode(xn, 1, k);
    const recon = denormalize(await engine.decode(z, 1), sae.normalization);
    const active: Array<{ latent: number; value: number }> = [];
    for (let j = 0; j < z.length; j++) if (z[j] > 0) active.push({ latent: j, value: z[j] });
    active.sort((a, b) => b.value - a.value);
    const added = active.filter((a) => !before.has(a.latent));
    levels.push({ k, latents: active.slice(0, show), added: added.slice(0, show), addedCount: added.length, cosine: cosine(original, recon) });
    before = new Set(active.map((a) => a.latent));
  }
  await engine.dispose();
  return levels;
}
