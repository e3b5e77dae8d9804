import { join } from 'node:path';
import { architectureLabel, type SaeEngine } from '@msae/core';
import { checkCheckpointTarget, IoError } from '@msae/io';
import { createEngine } from '@msae/engines';
import { evaluateSae, progressiveKs, type EvalRecord } from '@msae/metrics';
import { createMemberRun, type MemberRun } from './member-run.js';
import type { ProgressReporter } from './progress-reporter.js';
import type { SweepSpec } from './sweep-file.js';
import { writeSweepReport, type MemberRecord } from './sweep-report.js';
import { reportKs, setUpRun, sourceOptionsOf, trainingInterrupted } from './train.js';
import type { TrainOptions } from './train-options.js';
import { runMembers, type RunControl } from './run-members.js';
import { openTrainingSource } from './training-source.js';

export interface SweepMemberResult {
  name: string;
  checkpoint: string;
  trainSeconds: number;
  samplesPerSecond: number;
  /** Validation at the member's own k and with every positive code (as a single run reports). */
  val: EvalRecord[];
}

export interface SweepResult {
  seconds: number;
  members: SweepMemberResult[];
  /** Every member at every progressive k (16, 32, ..., d_sae), for the comparison report. */
  records: MemberRecord[];
  report: string[];
}

/** The TrainOptions a single `msae-train` run of this member would have (for setUpRun and for the docs' equivalence). */
export function memberOptions(spec: SweepSpec, i: number): TrainOptions {
  const { name, ...member } = spec.members[i];
  return {
    ...member,
    data: spec.data,
    val: spec.val,
    epochs: spec.epochs,
    batchSize: spec.batchSize,
    out: join(spec.out, name),
    backend: spec.backend,
    json: false,
    maxSteps: spec.maxSteps,
    streaming: spec.streaming,
    shuffleBuffer: spec.shuffleBuffer,
    dataSeed: spec.dataSeed,
  };
}

/**
 * Train every member of a sweep in one pass over the data: one reader, one shuffle, each batch fed to every
 * member's engine. Writes <out>/<member>/ checkpoints and <out>/report.md + results.json + pareto.vl.json.
 * A member trains exactly as `msae-train` with memberOptions(spec, i) would (same batches, same init).
 */
export async function runSweep(spec: SweepSpec, reporter: ProgressReporter, control: RunControl = {}): Promise<SweepResult> {
  const wallStart = performance.now();
  const options = spec.members.map((_, i) => memberOptions(spec, i));
  for (const o of options) await checkCheckpointTarget(o.out!, { createsParents: true });
  const source = await openTrainingSource(sourceOptionsOf(options[0], undefined));
  const engines: SaeEngine[] = [];
  try {
    reporter.info(`data: ${source.description}`);
    reporter.info(`val:  ${source.valDescription}`);
    const members: MemberRun[] = [];
    for (const [i, o] of options.entries()) {
      const run = await setUpRun(o, source, undefined);
      run.state.stream = source.stream ?? null;
      if (run.state.batchSize !== (members[0]?.state.batchSize ?? run.state.batchSize) || run.state.epochs !== (members[0]?.state.epochs ?? run.state.epochs)) {
        throw new IoError(spec.file, `members[${i}] (${spec.members[i].name}) would default to another batch size or epoch count; set "batchSize" and "epochs" in the sweep file`);
      }
      const engine = await createEngine(o.backend, { config: run.config, onFallback: (m) => reporter.info(`note: ${m}`) });
      engines.push(engine);
      await engine.load({ config: run.config, params: run.params });
      const { config, state } = run;
      reporter.info(`${spec.members[i].name}: ${architectureLabel(config)} ${config.dIn} -> ${config.dSae}, k ${config.k}, lr ${state.lr}, seed ${state.seed}, engine ${engine.name}`);
      members.push(
        createMemberRun({
          ...run,
          name: spec.members[i].name,
          engine,
          dataLabel: spec.data ?? 'builtin:demo (synthetic)',
          valLabel: spec.val ?? (spec.data ? (source.mode === 'stream' ? 'holdout:stream' : 'holdout:10%') : 'builtin:demo-val (synthetic)'),
          extra: { sweep: spec.file },
        }),
      );
    }
    reporter.info(`sweep: ${members.length} members, batch ${members[0].state.batchSize}, epochs ${members[0].state.epochs}${spec.maxSteps ? `, at most ${spec.maxSteps} steps` : ''}`);
    const outcome = await runMembers(members, source, reporter, control);
    if (outcome === 'interrupted') throw trainingInterrupted(spec.out);
    reporter.stop();
    reporter.info('evaluating every member on the validation set ...');
    const results: SweepMemberResult[] = [];
    const records: MemberRecord[] = [];
    for (const m of members) {
      const val = await evaluateSae({ engine: m.engine, x: source.val, normalization: m.normalization, ks: reportKs(m.config), cknnaRows: 1000 });
      await m.save(val);
      const ks = progressiveKs(m.config.dSae);
      const curve = await evaluateSae({ engine: m.engine, x: source.val, normalization: m.normalization, ks, cknnaRows: 1000 });
      records.push(...curve.map((r) => ({ ...r, member: m.name })));
      const st = m.state;
      results.push({ name: m.name, checkpoint: m.outDir, trainSeconds: st.trainSeconds, samplesPerSecond: st.trainSeconds > 0 ? st.samplesSeen / st.trainSeconds : 0, val });
    }
    const seconds = (performance.now() - wallStart) / 1000;
    const details = [
      `sweep file: ${spec.file}`,
      `data: ${source.description}`,
      `validation: ${source.valDescription} (${source.val.rows} rows)`,
      `members: ${members.map((m) => `${m.name} (${m.outDir})`).join(', ')}`,
      `steps: ${members[0].state.globalStep}, batch ${members[0].state.batchSize}, ${seconds.toFixed(1)} s wall`,
      `Pareto plot: msae-eval --compare ${members.map((m) => m.outDir).join(' ')} --data ${spec.val ?? '<val file>'} --out <dir> (pareto.vl.json here is its spec)`,
    ];
    const report = await writeSweepReport(spec.out, `Sweep ${spec.file}`, details, records, { members: results, records });
    return { seconds, members: results, records, report };
  } finally {
    for (const e of engines) await e.dispose();
    await source.close();
  }
}
