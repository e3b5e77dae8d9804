import type { Command } from 'commander';
import { InterruptedError, UsageError } from '@msae/cli-kit';
import { createReporter } from './progress-reporter.js';
import { readSweep, type SweepSpec } from './sweep-file.js';
import { runSweep } from './sweep.js';
import { sweepTable } from './sweep-report.js';
import type { RunControl } from './run-members.js';

/** Options a sweep member sets in the sweep file, not on the command line. */
const MEMBER_OPTIONS = ['architecture', 'weighting', 'k', 'expansion', 'latents', 'lr', 'l1', 'loss', 'resume'];
/** Command-line options that override the sweep file's shared keys. */
const SHARED_OPTIONS = ['data', 'val', 'out', 'epochs', 'batchSize', 'maxSteps', 'dataSeed', 'streaming', 'shuffleBuffer', 'backend'] as const;

const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

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
