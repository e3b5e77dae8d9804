import { readFile } from 'node:fs/promises';
import { architectureLabel } from '@msae/core';
import { DEFAULT_ARCHITECTURE, formatProblem, optionProblems, TRAINING_OPTIONS, type TrainingOptions } from '@msae/training';
import { ENGINE_NAMES } from '@msae/engines';
import { IoError, fileError } from '@msae/io';

/** One SAE of a sweep: its directory name and the member-scope training options (see @msae/training's schema). */
export interface SweepMember extends TrainingOptions {
  name: string;
  seed: number;
}

/** A sweep file, validated: what the members share (data, order, length) and the members. */
export interface SweepSpec {
  file: string;
  data?: string;
  val?: string;
  /** Members are written to <out>/<name>; report.md and results.json to <out>. */
  out: string;
  epochs?: number;
  batchSize?: number;
  maxSteps?: number;
  dataSeed: number;
  streaming: 'auto' | 'on' | 'off';
  shuffleBuffer?: number;
  backend: string;
  members: SweepMember[];
}

type Json = Record<string, unknown>;
/** Keys shared by every member: the data, output and engine, and the schema's run-scope options (epochs, batch, ...). */
const RUN_KEYS = TRAINING_OPTIONS.filter((o) => o.scope === 'run').map((o) => o.key);
const SHARED_KEYS = ['data', 'val', 'out', 'streaming', 'shuffleBuffer', 'backend', 'members', ...RUN_KEYS];
/** A member's keys: its name and the schema's member-scope options (AuxK, groups and JumpReLU's included). */
const MEMBER_KEYS = ['name', ...TRAINING_OPTIONS.filter((o) => o.scope === 'member').map((o) => o.key)];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Reads and checks fields of one JSON object; every problem is an IoError `<file>: <where> <problem>`. */
class Fields {
  constructor(
    private readonly file: string,
    private readonly obj: Json,
    private readonly where: string,
  ) {}

  fail(key: string, problem: string): never {
    throw new IoError(this.file, `${this.where}${this.where && key ? '.' : ''}${key} ${problem}`);
  }

  onlyKeys(allowed: string[]): void {
    for (const key of Object.keys(this.obj)) if (!allowed.includes(key)) this.fail(key, `is not a sweep key (allowed: ${allowed.join(', ')})`);
  }

  string(key: string): string | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') this.fail(key, 'must be a non-empty string');
    return v;
  }

  choice<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const v = this.string(key);
    if (v !== undefined && !choices.includes(v as T)) this.fail(key, `must be one of ${choices.join(', ')} (got '${v}')`);
    return v as T | undefined;
  }

  number(key: string, kind: 'positive' | 'nonNegative' | 'positiveInt' | 'int'): number | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (kind === 'positive' ? v > 0 : kind === 'nonNegative' ? v >= 0 : Number.isInteger(v) && (kind === 'int' || v > 0));
    const what = { positive: 'a positive number', nonNegative: 'a number >= 0', positiveInt: 'a positive integer', int: 'an integer' }[kind];
    if (!ok) this.fail(key, `must be ${what} (got ${JSON.stringify(v)})`);
    return v as number;
  }
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function memberOf(file: string, raw: unknown, i: number, seed: number): SweepMember {
  const where = `members[${i}]`;
  if (!isObject(raw)) throw new IoError(file, `${where} must be an object`);
  const f = new Fields(file, raw, where);
  f.onlyKeys(MEMBER_KEYS);
  const { name: _name, ...options } = raw;
  const [problem] = optionProblems(options);
  if (problem) throw new IoError(file, formatProblem(problem, (key) => `${where}.${key}`));
  const member = { ...(options as TrainingOptions), seed: (options.seed as number | undefined) ?? seed };
  const name = f.string('name') ?? `${architectureLabel({ architecture: member.architecture ?? DEFAULT_ARCHITECTURE, weighting: member.weighting })}-${i}`;
  if (!NAME.test(name)) f.fail('name', `'${name}' must be a plain directory name (letters, digits, . _ -)`);
  return { ...member, name };
}

/** Parse and check a sweep file (JSON); one-line IoErrors naming the file and the key. `seed` = the default member seed. */
export function parseSweep(file: string, text: string, seed = 42): SweepSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new IoError(file, `not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (!isObject(raw)) throw new IoError(file, 'must hold a JSON object with a "members" array');
  const f = new Fields(file, raw, '');
  f.onlyKeys(SHARED_KEYS);
  if (!Array.isArray(raw.members) || raw.members.length === 0) f.fail('members', 'must be a non-empty array of member objects');
  const run = Object.fromEntries(RUN_KEYS.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
  const [problem] = optionProblems(run);
  if (problem) throw new IoError(file, formatProblem(problem));
  const shared = run as Pick<TrainingOptions, 'epochs' | 'batchSize' | 'maxSteps' | 'dataSeed'>;
  const members = (raw.members as unknown[]).map((m, i) => memberOf(file, m, i, seed));
  const seen = new Set<string>();
  for (const [i, m] of members.entries()) {
    if (seen.has(m.name)) throw new IoError(file, `members[${i}].name '${m.name}' is used twice (every member needs its own directory)`);
    seen.add(m.name);
  }
  return {
    file,
    data: f.string('data'),
    val: f.string('val'),
    out: f.string('out') ?? 'runs/sweep',
    epochs: shared.epochs,
    batchSize: shared.batchSize,
    maxSteps: shared.maxSteps,
    dataSeed: shared.dataSeed ?? seed,
    streaming: f.choice('streaming', ['auto', 'on', 'off'] as const) ?? 'auto',
    shuffleBuffer: f.number('shuffleBuffer', 'positive'),
    backend: f.choice('backend', ENGINE_NAMES as unknown as string[]) ?? 'auto',
    members,
  };
}

/** Read a sweep file from disk and parse it. */
export async function readSweep(file: string, seed?: number): Promise<SweepSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw fileError(file, err);
  }
  return parseSweep(file, text, seed);
}
