export { evaluateCheckpoints, type EvaluateOptions, type EvaluationResult, type CheckpointSummary } from './evaluate-checkpoints.js';
export { alignCheckpoints, alignTable, type AlignResult } from './align-checkpoints.js';
export { resultsTable, type ResultRecord } from './results-table.js';
export { paretoSpec, renderSvg, svgToPng } from './report/pareto-plot.js';
export { writeReport, type ReportInput, type WrittenReport } from './report/write-report.js';
export { parseKs } from './parse-ks.js';
export { buildProgram } from './program.js';
