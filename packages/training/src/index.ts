// @msae/training: browser-safe (no node:* imports here; Node-only helpers are in '@msae/training/node').
export { rowsInMemory, type BatchSource } from './batch-source.js';
export { type CheckpointEvery, CheckpointTimer } from './checkpoint-timer.js';
export { checkLoss } from './divergence.js';
export { epochOrder } from './epoch-order.js';
export { TrainingDivergedError, TrainingError, TrainingOptionError } from './errors.js';
export { trainLockstep, type EpochSummary, type LoopOptions, type LoopOutcome, type StepProgress } from './lockstep-loop.js';
export { reportKs } from './report-ks.js';
export { learningRateOf, scheduleSteps, stepsPerEpochOf } from './schedule.js';
export { freshTrainerState, type StreamSettings, type TrainerState } from './trainer-state.js';
export type { TrainingMember } from './training-member.js';
export { yieldToEventLoop } from './yield-to-event-loop.js';
export { helpText, parseOptionText, valueProblem, type OptionKind, type OptionScope, type OptionSpec } from './options/option-spec.js';
export { auxKConfigOptions, configOf, resolveRun, type RunData } from './options/resolve-run.js';
export {
  DEFAULT_ARCHITECTURE,
  DEFAULT_EPOCHS,
  DEFAULT_SEED,
  DEMO_TRAINING_DEFAULTS,
  optionSpec,
  pickTrainingOptions,
  TRAINING_OPTIONS,
  type TrainingOptions,
} from './options/training-options.js';
export { formatProblem, optionProblems, optionSchema, validateTrainingOptions, type DataFacts, type OptionProblem } from './options/validate-options.js';
export { fit, type FitOptions } from './fit.js';
export { checkRows } from './row-checks.js';
export { SaeModel, type NamingVocabulary } from './sae-model.js';
