/**
 * Arithmetic of one training step, counted from the codes actually kept, and the step time it implies at a
 * given dense-GEMM rate. Element-wise work (bias, ReLU, losses, optimizer) is left out: it is O(B (d_in + d_sae))
 * against O(B d_in d_sae) for the products.
 */
export interface StepFlops {
  /** (x - b_dec) W_enc for every latent: 2 B d_in d_sae. */
  encoder: number;
  /** The four products over kept codes (decode, dpre, dW_dec, dW_enc): 4 x 2 nnz d_in. */
  sparse: number;
  total: number;
}

/** FLOPs of one step: encoder GEMM + four sparse products over `activePerRow` kept codes per row. */
export function stepFlops(batch: number, dIn: number, dSae: number, activePerRow: number): StepFlops {
  const encoder = 2 * batch * dIn * dSae; // pre = (x - b_dec) W_enc
  const sparse = 4 * 2 * batch * activePerRow * dIn; // recon, dpre = W_dec G, dW_dec = Z^T G, dW_enc = X^T dpre
  return { encoder, sparse, total: encoder + sparse };
}

/** Seconds a step needs if every product ran at the dense GEMM's rate (a lower bound for exact arithmetic). */
export function floorSeconds(flops: StepFlops, gemmFlopsPerSecond: number): number {
  return flops.total / gemmFlopsPerSecond;
}
