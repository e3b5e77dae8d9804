// Shared by the benchmark scripts: the machine / kernel line every benchmark prints, the matmul provider,
// and a synthetic CLIP-like collection written to an .npy file in chunks (bounded memory).
import { open } from 'node:fs/promises';
import os from 'node:os';
import { encodeNpyHeader } from '@msae/io';
import { createRng } from '@msae/core';

export async function benchEnvironment() {
  const { createMatmulProvider, listMatmulProviders } = await import('@msae/engines');
  let kernel = 'unknown';
  try {
    const cpu = await import('@msae/backend-cpu');
    const info = cpu.nativeKernelInfo?.();
    if (info) kernel = info.variant ? `${info.variant} (${info.source}, supported: ${info.supported.join('/')})` : `none (${info.reason})`;
  } catch (e) {
    kernel = `backend-cpu unavailable (${e.message.split('\n')[0]})`;
  }
  let note = '';
  const matmul = await createMatmulProvider('auto', { onFallback: (m) => (note = m) });
  const providers = (await listMatmulProviders()).filter((p) => p.available).map((p) => p.name);
  const line = `CPU: ${os.cpus()[0]?.model?.trim()} x ${os.cpus().length}; native kernel: ${kernel}; matmul providers available: ${providers.join(', ')}${note ? `; note: ${note}` : ''}; node ${process.version}`;
  return { matmul, line };
}

/**
 * rows x dim float32 rows, CLIP-like and seeded: x = normalize(0.5 m + 0.6 c_(r mod C) + 0.02 e), a shared mean
 * direction m, one of C = 4096 unit cluster centres c and Gaussian noise e, so that a row's nearest neighbours are
 * its cluster's (cosine ~0.75, ~0.3 across clusters), as images of one concept are in CLIP space. Isotropic noise
 * alone would leave no neighbourhood structure for an ANN index to find.
 */
export async function writeSyntheticCollection(path, rows, dim, seed = 1, clusters = 4096) {
  const header = encodeNpyHeader ? encodeNpyHeader([rows, dim]) : null;
  if (!header) throw new Error('encodeNpyHeader missing from @msae/io');
  const fh = await open(path, 'w');
  try {
    await fh.write(header);
    const rng = createRng(seed);
    const unit = () => {
      const v = Float32Array.from({ length: dim }, () => rng.normal());
      const n = Math.hypot(...v);
      for (let d = 0; d < dim; d++) v[d] /= n;
      return v;
    };
    const mean = unit();
    const centres = Array.from({ length: clusters }, unit);
    const chunk = 16384;
    for (let start = 0; start < rows; start += chunk) {
      const n = Math.min(chunk, rows - start);
      const data = new Float32Array(n * dim);
      for (let r = 0; r < n; r++) {
        const c = centres[(start + r) % clusters];
        let s = 0;
        for (let d = 0; d < dim; d++) s += (data[r * dim + d] = 0.5 * mean[d] + 0.6 * c[d] + 0.02 * rng.normal()) ** 2;
        const inv = 1 / Math.sqrt(s);
        for (let d = 0; d < dim; d++) data[r * dim + d] *= inv;
      }
      await fh.write(new Uint8Array(data.buffer));
    }
  } finally {
    await fh.close();
  }
}

export const peakRssMiB = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
