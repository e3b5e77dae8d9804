/**
 * `@msae/concepts/testing`: the planted-concepts naming benchmark, a generated decoder + vocabulary (+ image-like
 * samples) with a known answer, shaped like CLIP ViT-B/32, for tests and for choosing naming thresholds.
 *
 *   import { plantedBenchmark, scoreBenchmark } from '@msae/concepts/testing';
 */
export { plantedBenchmark, scoreBenchmark, type PlantedBenchmark, type PlantedBenchmarkOptions, type BenchmarkScore } from './planted-benchmark.js';
export {
  plantedClassBenchmark,
  precisionAcrossFdr,
  type PlantedClassBenchmark,
  type PlantedClassOptions,
  type NamingPrecision,
} from './planted-class-benchmark.js';
