// msae-bench's pieces, for scripts that run or read the benchmark (the CLI is dist/cli.js).
export { benchConfig, benchConfigs, BENCH_CONFIG_NAMES, type BenchConfig } from './configs.js';
export { stepFlops, floorSeconds, type StepFlops } from './flop-count.js';
export { measureConfig, measureGemmRate, type BenchResult, type PhaseSeconds, type MeasureOptions } from './measure.js';
export { BENCH_COLUMNS, formatTable, summarize, type BenchSummary, type ConfigReport, type TableRow } from './report.js';
export { syntheticBatch } from './synthetic-batch.js';
