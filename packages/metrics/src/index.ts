export { fvu, fvuGlobal, cosine, nmae } from './reconstruction.js';
export { l0, sparsity, deadLatents } from './sparsity.js';
export { ReconstructionAccumulator, type ReconstructionMetrics } from './reconstruction-accumulator.js';
export { CodeAccumulator, type CodeMetrics } from './code-accumulator.js';
export { cknna, cknnaFromKernels, kernelNeighbours, type CknnaOptions, type KernelNeighbours } from './cknna.js';
export { decoderOrthogonality } from './orthogonality.js';
export { alignment, type AlignmentResult } from './alignment.js';
export { linearKernel, rowDots } from './dot-products.js';
export { SparseRowsBuilder, toSparseRows, type SparseRows } from './sparse-rows.js';
export { progressiveKs } from './progressive-ks.js';
export {
  evaluateSae,
  evaluateSaeStream,
  type EvalRecord,
  type EvaluateSaeOptions,
  type EvaluateSaeStreamOptions,
} from './evaluate.js';
export { paretoSpec, type ParetoPoint, type ParetoSpec, type ParetoSpecOptions } from './pareto-spec.js';
