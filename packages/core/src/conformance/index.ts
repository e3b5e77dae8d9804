/**
 * `@msae/core/conformance`: checks any SaeEngine against the reference engine on random inputs.
 * No test-framework dependency: each case's run() throws a descriptive Error on mismatch.
 *
 *   import { conformanceCases } from '@msae/core/conformance';
 *   for (const c of conformanceCases()) it(c.name, () => c.run(() => createMyEngine()));
 *
 * Comparisons are normwise: max_i |actual_i - expected_i| <= rtol * max(max_i |expected_i|, 1e-12)
 * per tensor (default rtol 1e-4, sized for float32 engines whose sums run over at most 96 terms here),
 * and |actual - expected| <= rtol * max(|expected|, 1e-12) for scalars (losses, gradient norm).
 * The sparsity pattern of codes (which entries are non-zero) must match exactly: the inputs are generated
 * with clear selection margins (see fixtures.ts), so float32 rounding cannot flip a selection.
 */
export { conformanceConfigs, type ConformanceConfig } from './configs.js';
export { conformanceCases, type ConformanceCase, type ConformanceOptions } from './cases.js';
export { runConformance, type ConformanceResult } from './run.js';
export { assertScalarClose, assertTensorClose } from './assertions.js';
export { inferenceConformanceCases, type InferenceConformanceCase } from './inference-cases.js';
