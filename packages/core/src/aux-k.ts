/**
 * AuxK (Gao et al. 2024, as in OpenAI's sparse_autoencoder, SAELens and sparsify): an auxiliary loss that
 * revives dead latents. Definitions shared by every engine:
 * - A latent *fires* in a batch when some row keeps it with a > 0 at the architecture's own level (level 0:
 *   topk's k, batchtopk's batch top k*B, msae's smallest level k0).
 * - samplesSinceFired[j] counts the training rows seen since latent j last fired, capped at deadAfter (so it is
 *   exact in float32): s_j <- fired_j ? 0 : min(s_j + B, deadAfter), updated after each training step.
 * - Latent j is *dead* for a step when s_j >= deadAfter (the counts before that step's update).
 * - Per row b the top kAux = min(auxK, #dead) dead latents by a = ReLU(pre) (ties: lower index) reconstruct the
 *   level-0 residual e_b = x_b - recon_0[b] (a constant: no gradient flows into e), without b_dec:
 *   e^_b = sum_{j in aux_b} a_bj W_dec[j].
 * - L_aux = scale * Loss(e^, e), Loss normalized like the reconstruction loss (nmse: mean_b ||e^_b - e_b||^2 /
 *   ||x_b||^2; mse: mean_{b,d} (e^ - e)^2), scale = min(#dead / auxK, 1) (SAELens/sparsify's down-weighting
 *   when few latents are dead).
 * - total loss = recon loss (+ l1) + auxWeight * L_aux.
 */
import type { SaeConfig } from './config.js';

/** Default weight of the AuxK loss (Gao et al.: 1/32). */
export const DEFAULT_AUX_WEIGHT = 1 / 32;
/** Default dead-latent window of core (samples); the trainer's default is relative to the data (see its README). */
export const DEFAULT_DEAD_AFTER = 1_000_000;
/** The largest deadAfter: counts up to it stay exact in float32 (2^24). */
export const MAX_DEAD_AFTER = 2 ** 24;

/** Default number of dead latents that reconstruct the residual: d_in / 2 (Gao et al.), at most d_sae. */
export function defaultAuxK(dIn: number, dSae: number): number {
  return Math.max(1, Math.min(dSae, Math.floor(dIn / 2)));
}

/** Whether a config trains with the AuxK loss. */
export function auxKEnabled(config: Pick<SaeConfig, 'auxK'>): boolean {
  return (config.auxK ?? 0) > 0;
}

/** Fresh counts: every latent has just "fired" (no latent is dead at the start). */
export function initialSamplesSinceFired(dSae: number): Float32Array {
  return new Float32Array(dSae);
}

/** dead[j] = 1 iff samplesSinceFired[j] >= deadAfter. */
export function deadLatentMask(samplesSinceFired: Float32Array, deadAfter: number): Uint8Array {
  const dead = new Uint8Array(samplesSinceFired.length);
  for (let j = 0; j < dead.length; j++) dead[j] = samplesSinceFired[j] >= deadAfter ? 1 : 0;
  return dead;
}

/** In place: s_j <- fired_j ? 0 : min(s_j + rows, deadAfter). */
export function updateSamplesSinceFired(samplesSinceFired: Float32Array, fired: Uint8Array, rows: number, deadAfter: number): void {
  for (let j = 0; j < samplesSinceFired.length; j++) {
    samplesSinceFired[j] = fired[j] ? 0 : Math.min(samplesSinceFired[j] + rows, deadAfter);
  }
}

/** The AuxK selection of a batch: which (row, latent) entries reconstruct the residual, and the loss scale. */
export interface AuxSelection {
  /** mask[b * dSae + j] = 1 iff latent j is among row b's top kAux dead latents with a_bj > 0. */
  mask: Uint8Array;
  /** Number of dead latents. */
  dead: number;
  /** min(auxK, dead) */
  kAux: number;
  /** min(dead / auxK, 1) */
  scale: number;
}

/** Per row, the kAux = min(auxK, #dead) largest a = ReLU(pre) among dead latents (ties: lower index), positives only. */
export function auxSelection(acts: ArrayLike<number>, rows: number, dSae: number, dead: Uint8Array, auxK: number): AuxSelection {
  const mask = new Uint8Array(rows * dSae);
  const deadIdx: number[] = [];
  for (let j = 0; j < dSae; j++) if (dead[j]) deadIdx.push(j);
  const nDead = deadIdx.length;
  const kAux = Math.min(auxK, nDead);
  if (kAux === 0) return { mask, dead: nDead, kAux, scale: 0 };
  const cand = new Int32Array(nDead);
  for (let b = 0; b < rows; b++) {
    const off = b * dSae;
    let n = 0;
    for (const j of deadIdx) if (acts[off + j] > 0) cand[n++] = j;
    const keep = cand.subarray(0, n);
    if (n > kAux) keep.sort((p, q) => (acts[off + q] - acts[off + p]) || p - q); // value descending, index ascending
    for (let t = 0; t < Math.min(n, kAux); t++) mask[off + keep[t]] = 1;
  }
  return { mask, dead: nDead, kAux, scale: Math.min(nDead / auxK, 1) };
}
