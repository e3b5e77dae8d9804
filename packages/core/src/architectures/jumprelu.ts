import { ConfigError } from '../errors.js';
import type { ArchitectureDefinition } from './architecture.js';
import { logThresholdOfSaeLens, SAELENS_THRESHOLD_TENSOR, saeLensThreshold } from './threshold-tensor.js';

/** JumpReLU defaults (SAELens jumprelu: jumprelu_bandwidth 0.001, jumprelu_init_threshold 0.001). */
export const DEFAULT_JUMPRELU_L0 = 1e-3;
export const DEFAULT_JUMPRELU_BANDWIDTH = 1e-3;
export const DEFAULT_JUMPRELU_INIT_THRESHOLD = 1e-3;

function positive(name: string, v: number, context: string): number {
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw new ConfigError(context, `${name} must be a positive number, got ${String(v)}`);
  return v;
}

/**
 * JumpReLU SAE (Rajamanoharan et al. 2024; SAELens `jumprelu`): z = pre * H(pre - theta), theta_j = exp(log_threshold_j)
 * a trained per-latent threshold; loss = recon + l0 * mean_b sum_j H(pre_bj - theta_j). The step's derivative in
 * theta uses the straight-through rectangle kernel K(u) = 1{|u| < eps/2} / eps (bandwidth eps), u = pre - theta:
 *   dz/dtheta = -theta K(u),  dH/dtheta = -K(u),  dz/dpre = H(u) (as SAELens' JumpReLU and Step autograd functions).
 * All positive thresholded codes are kept, so its own k is d_sae.
 */
export const jumprelu: ArchitectureDefinition<'jumprelu'> = {
  name: 'jumprelu',
  summary: 'JumpReLU SAE: a trained threshold per latent (straight-through kernel), L0 penalty',
  labels: { jumprelu: 'uw' },
  defaults: {
    lr: 5e-4,
    demoLr: 5e-4,
    batchSize: 4096,
    k: undefined,
    l1: 0,
    weighting: 'uw',
    l0: DEFAULT_JUMPRELU_L0,
    bandwidth: DEFAULT_JUMPRELU_BANDWIDTH,
    initThreshold: DEFAULT_JUMPRELU_INIT_THRESHOLD,
  },
  options: { k: false, weighting: false, l1: false, nesting: false, auxK: false, groups: false, threshold: true },
  activation: { train: 'jumprelu', eval: 'row-topk', gate: 'jumprelu' },
  ownK: (config) => config.dSae,
  resolve: (opts, dSae) => ({
    k: dSae,
    nesting: [dSae],
    weights: [1],
    weighting: 'uw',
    l1: 0,
    l0: opts.l0 ?? DEFAULT_JUMPRELU_L0,
    bandwidth: opts.bandwidth ?? DEFAULT_JUMPRELU_BANDWIDTH,
    initThreshold: opts.initThreshold ?? DEFAULT_JUMPRELU_INIT_THRESHOLD,
  }),
  validate(c, context) {
    if (c.nesting.length !== 1 || c.nesting[0] !== c.dSae) throw new ConfigError(context, 'jumprelu nesting must be [d_sae]');
    if (!(typeof c.l0 === 'number' && c.l0 >= 0 && Number.isFinite(c.l0))) throw new ConfigError(context, `jumprelu l0 must be a non-negative number, got ${String(c.l0)}`);
    positive('jumprelu bandwidth', c.bandwidth as number, context);
    if (c.initThreshold !== undefined) positive('jumprelu initThreshold', c.initThreshold, context);
  },
  saeLens: {
    architecture: 'jumprelu',
    activationFn: 'relu',
    hasK: false,
    reads: [{ architecture: 'jumprelu' }],
    optionKeys: [
      { option: 'l0', key: 'l0_coefficient', assumed: DEFAULT_JUMPRELU_L0 },
      { option: 'bandwidth', key: 'jumprelu_bandwidth', assumed: DEFAULT_JUMPRELU_BANDWIDTH },
      { option: 'initThreshold', key: 'jumprelu_init_threshold' },
    ],
  },
  // SAELens' inference layout stores threshold = exp(log_threshold) (written); its training layout log_threshold as is.
  extraTensors: [
    {
      param: 'log_threshold',
      description: 'JumpReLU thresholds',
      layouts: [
        { tensor: SAELENS_THRESHOLD_TENSOR, read: logThresholdOfSaeLens, write: saeLensThreshold, requires: 'positive and finite' },
        { tensor: 'log_threshold' },
      ],
    },
  ],
};
