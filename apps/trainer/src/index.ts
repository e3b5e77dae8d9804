export { runTraining, reportKs, TrainingInterrupted, type TrainResult, type TrainerState } from './train.js';
export { loadTrainingData, type TrainingData } from './training-data.js';
export type { TrainOptions } from './train-options.js';
export { createReporter, type ProgressReporter } from './progress-reporter.js';
export { resultsTable } from './results-table.js';
