import type { Command } from 'commander';
import { InterruptedError, UsageError } from '@msae/cli-kit';
import { createReporter } from './progress-reporter.js';
import { readSweep, type SweepSpec } from './sweep-file.js';
import { runSweep } from './sweep.js';
import { sweepTable } from './sweep-report.js';
import type { RunControl } from './run-members.js';
import { flagOf } from './train-options.js';
import { TRAINING_OPTIONS } from '@msae/training';

/** Options a sweep member sets in the sweep file, not on the command line (the schema's member-scope options but the seed). */
const MEMBER_OPTIONS = [...TRAINING_OPTIONS.filter((o) => o.scope === 'member' && o.key !== 'seed').map((o) => o.key), 'resume'];
/** Command-line options that override the sweep file's shared keys. */
const SHARED_OPTIONS = ['data', 'val', 'out', 'streaming', 'shuffleBuffer', 'backend', ...TRAINING_OPTIONS.filter((o) => o.scope === 'run').map((o) => o.key)];

const flag = flagOf;

/** `msae-train --sweep FILE`: read the file, let shared command-line options override it, train, print the comparison. */
export async function runSweepCommand(program: Command, control: RunControl): Promise<void> {
  const o = program.opts();
  const given = (key: string) => program.getOptionValueSource(key) === 'cli';
  for (const key of MEMBER_OPTIONS) if (given(key)) throw new UsageError(`${flag(key)} is set per member in the sweep file, not with --sweep`);
  const spec: SweepSpec = await readSweep(o.sweep, given('seed') ? o.seed : undefined);
  for (const key of SHARED_OPTIONS) if (given(key)) (spec as unknown as Record<string, unknown>)[key] = o[key];
  const reporter = createReporter(Boolean(o.json));
  try {
    const result = await runSweep(spec, reporter, control);
    reporter.info(`report: ${result.report.join(', ')}`);
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ seconds: result.seconds, members: result.members, report: result.report })}\n`);
    } else {
      process.stdout.write(`\nSweep of ${result.members.length} members (${result.seconds.toFixed(1)} s)\n${sweepTable(result.records)}\n`);
    }
  } catch (error) {
    reporter.stop();
    if (InterruptedError.isInstance(error)) {
      throw new InterruptedError(`interrupted: every member's checkpoint is saved under ${spec.out}/ (continue one with --resume ${spec.out}/<member>)`);
    }
    throw error;
  }
}
