export * from './architecture.js';
export * from './unknown-architecture-error.js';
export * from './registry.js';
export * from './sae-lens.js';
export { DEFAULT_RELU_L1 } from './relu.js';
export { DEFAULT_GROUP_FRACTIONS, groupPrefixEnds } from './prefix-groups.js';
export { DEFAULT_JUMPRELU_BANDWIDTH, DEFAULT_JUMPRELU_INIT_THRESHOLD, DEFAULT_JUMPRELU_L0 } from './jumprelu.js';
