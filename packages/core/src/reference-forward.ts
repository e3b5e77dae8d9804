/** What the reference engine's forward pass keeps for its backward pass (see reference-engine.ts). */

/** Everything the forward pass computes, kept for the backward pass (float64 intermediates). */
export interface ReferenceForward {
  rows: number;
  /** x - b_dec  [rows, dIn] */
  centred: Float64Array;
  /** pre = (x - b_dec) W_enc + b_enc  [rows, dSae] */
  pre: Float64Array;
  /** a = ReLU(pre)  [rows, dSae] */
  acts: Float64Array;
  /**
   * level[b, j] = the first nesting level that keeps latent j of row b (level i keeps it for every i >= level),
   * or nesting.length when no level keeps it.
   */
  level: Int32Array;
  /** recon_i = z_i W_dec + b_dec for every level i  [rows, dIn] each */
  recons: Float64Array[];
  levelLosses: number[];
  /** sum_i w_i L_i / sum_i w_i */
  reconLoss: number;
  /** l1 * mean_b(sum_j |z_bj| / ||x_b||) (relu; 0 otherwise) */
  l1Loss: number;
  /** jumprelu: theta = exp(log_threshold) [dSae]; null otherwise. */
  theta: Float64Array | null;
  /** jumprelu: l0 * mean_b sum_j H(pre_bj - theta_j); 0 otherwise. */
  l0Loss: number;
  /** AuxK (see aux-k.ts), null when off: entries that reconstruct the residual, scale, e, e^ and L_aux. */
  aux: ReferenceAux | null;
  /** reconLoss + l1Loss + l0Loss + auxWeight * aux.loss */
  loss: number;
}

/** The AuxK part of a reference forward pass. */
export interface ReferenceAux {
  /** [rows, dSae] 1 where a dead latent reconstructs the residual of its row */
  mask: Uint8Array;
  /** min(#dead / auxK, 1) */
  scale: number;
  dead: number;
  /** e = x - recon_0  [rows, dIn] (constant) */
  residual: Float64Array;
  /** e^ = sum_{aux} a W_dec  [rows, dIn] */
  recon: Float64Array;
  /** L_aux = scale * Loss(e^, e) */
  loss: number;
}
