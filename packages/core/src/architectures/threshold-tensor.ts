/** JumpReLU's threshold in SAELens' files: `threshold` = theta, msae's parameter log_threshold = log theta. */

/** SAELens' JumpReLU tensor in sae_weights.safetensors: theta itself (its training SAE trains log_threshold = log theta). */
export const SAELENS_THRESHOLD_TENSOR = 'threshold';

/** SAELens' `threshold` of msae's log_threshold: theta_j = exp(log_threshold_j) (float32). */
export function saeLensThreshold(logThreshold: Float32Array): Float32Array {
  return Float32Array.from(logThreshold, Math.exp);
}

/**
 * msae's log_threshold of SAELens' `threshold`: log_threshold_j = log(theta_j), exact back to the float32 the
 * threshold came from for theta < 0.37 (above, within one float32 ulp of it). Null when some theta is not positive.
 */
export function logThresholdOfSaeLens(threshold: Float32Array): Float32Array | null {
  for (const t of threshold) if (!(t > 0 && Number.isFinite(t))) return null;
  return Float32Array.from(threshold, Math.log);
}
