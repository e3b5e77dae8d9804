import { getArchitecture } from '@msae/core';
import { architecturesWithOption, isArchitecture } from '@msae/core/internal';
import { TrainingOptionError } from '../errors.js';
import { type OptionSpec, valueProblem } from './option-spec.js';
import { DEFAULT_ARCHITECTURE, TRAINING_OPTIONS, type TrainingOptions } from './training-options.js';

/** One refused option: its key and what is wrong (without the option's name, which each front end writes its way). */
export interface OptionProblem {
  key: string;
  problem: string;
  /** A second option the problem is about (`expansion` with `latents`). */
  with?: string;
}

/** `<name> <problem>` (or `<name> and <other> <problem>`), each option written by `name` (a flag, a sweep path, a key). */
export function formatProblem(p: OptionProblem, name: (key: string) => string = (k) => k): string {
  return p.with === undefined ? `${name(p.key)} ${p.problem}` : `${name(p.key)} and ${name(p.with)} ${p.problem}`;
}

/** What is known of the training data when the options are checked. */
export interface DataFacts {
  /** Training rows (a batch must not be larger). */
  rows?: number;
}

/** The options of one architecture (the ones it accepts), in schema order: what a form shows and a flag list documents. */
export function optionSchema(architecture: string): OptionSpec[] {
  const arch = getArchitecture(architecture);
  return TRAINING_OPTIONS.filter((s) => s.requires === undefined || arch.options[s.requires] === true);
}

/**
 * Every problem of a set of training options: an unknown key, a value of the wrong type or out of range, an option
 * the architecture does not take, expansion with latents, a batch larger than the data. `shown(key, value)` writes
 * a refused value as the user gave it (default JSON).
 */
export function optionProblems(o: Record<string, unknown>, data: DataFacts = {}, shown: (key: string, value: unknown) => string = (_k, v) => JSON.stringify(v)): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const keys = TRAINING_OPTIONS.map((s) => s.key);
  for (const key of Object.keys(o)) if (o[key] !== undefined && !keys.includes(key)) problems.push({ key, problem: `is not a training option (known: ${keys.join(', ')})` });
  for (const spec of TRAINING_OPTIONS) {
    const v = o[spec.key];
    if (v === undefined) continue;
    const p = valueProblem(spec, v, shown(spec.key, v));
    if (p) problems.push({ key: spec.key, problem: p });
  }
  const architecture = o.architecture ?? DEFAULT_ARCHITECTURE;
  if (isArchitecture(architecture)) {
    const arch = getArchitecture(architecture);
    for (const spec of TRAINING_OPTIONS) {
      if (o[spec.key] === undefined || spec.requires === undefined || arch.options[spec.requires] === true) continue;
      problems.push({ key: spec.key, problem: `applies to architecture ${architecturesWithOption(spec.requires).join(', ')} only (not ${architecture})` });
    }
  }
  if (o.expansion !== undefined && o.latents !== undefined) problems.push({ key: 'expansion', with: 'latents', problem: 'are both given; give one' });
  const batch = o.batchSize;
  if (data.rows !== undefined && typeof batch === 'number' && batch > data.rows) {
    problems.push({ key: 'batchSize', problem: `is ${batch}, more than the ${data.rows} training rows (give at least one batch of rows, or a smaller batch size)` });
  }
  return problems;
}

/**
 * Throws TrainingOptionError for the first problem, its message `<name> <problem>` where `name(spec)` writes the
 * option as the front end knows it (default: its key, as fit() and the playground form do; the CLI passes the flag).
 */
export function validateTrainingOptions(o: TrainingOptions, data: DataFacts = {}, name: (key: string) => string = (k) => k): void {
  const [first] = optionProblems(o as Record<string, unknown>, data);
  if (first) throw new TrainingOptionError(first.key, formatProblem(first, name), '');
}
