import { MsaeError } from '@msae/core';

/** A training run that cannot go on (options refused, members out of step, a diverged loss). */
export class TrainingError extends MsaeError {
  constructor(subject: string, problem: string, options?: { cause?: unknown }) {
    super(subject, problem, options);
    this.name = 'TrainingError';
  }
}

/** The loss became NaN or infinite: `training diverged: loss is NaN at step 12 (try a lower learning rate, --lr)`. */
export class TrainingDivergedError extends TrainingError {
  constructor(
    subject: string,
    readonly loss: number,
    readonly step: number,
  ) {
    super(subject, `training diverged: loss is ${loss} at step ${step} (try a lower learning rate, --lr)`);
    this.name = 'TrainingDivergedError';
  }
}

/** An option value refused by the option schema; `key` names the option, `problem` says what is wrong. */
export class TrainingOptionError extends TrainingError {
  constructor(
    readonly key: string,
    problem: string,
    subject = key,
  ) {
    super(subject, problem);
    this.name = 'TrainingOptionError';
  }
}
