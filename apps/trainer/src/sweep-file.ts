import { readFile } from 'node:fs/promises';
import { ARCHITECTURES, RECON_LOSSES, WEIGHTINGS, architectureLabel, getArchitecture, type Architecture, type ReconLoss, type Weighting } from '@msae/core';
import { ENGINE_NAMES } from '@msae/engines';
import { IoError, fileError } from '@msae/io';

/** One SAE of a sweep: what may differ between members. */
export interface SweepMember {
  name: string;
  architecture: Architecture;
  weighting: Weighting;
  k?: number;
  expansion?: number;
  latents?: number;
  lr?: number;
  l1?: number;
  loss: ReconLoss;
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
const SHARED_KEYS = ['data', 'val', 'out', 'epochs', 'batchSize', 'maxSteps', 'dataSeed', 'streaming', 'shuffleBuffer', 'backend', 'members'];
const MEMBER_KEYS = ['name', 'architecture', 'weighting', 'k', 'expansion', 'latents', 'lr', 'l1', 'loss', 'seed'];
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
  const architecture = f.choice('architecture', ARCHITECTURES) ?? 'msae';
  const arch = getArchitecture(architecture);
  const weighting = f.choice('weighting', WEIGHTINGS) ?? 'rw';
  if (raw.weighting !== undefined && !arch.options.weighting) f.fail('weighting', `does not apply to architecture ${architecture}`);
  if (raw.l1 !== undefined && !arch.options.l1) f.fail('l1', `does not apply to architecture ${architecture}`);
  if (raw.expansion !== undefined && raw.latents !== undefined) f.fail('', 'gives expansion and latents; give one');
  const k = f.number('k', 'positiveInt');
  const member: SweepMember = {
    name: '',
    architecture,
    weighting,
    k,
    expansion: f.number('expansion', 'positive'),
    latents: f.number('latents', 'positiveInt'),
    lr: f.number('lr', 'positive'),
    l1: f.number('l1', 'nonNegative'),
    loss: f.choice('loss', RECON_LOSSES) ?? 'nmse',
    seed: f.number('seed', 'int') ?? seed,
  };
  const name = f.string('name') ?? `${architectureLabel(member)}-${i}`;
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
  const dataSeed = f.number('dataSeed', 'int') ?? seed;
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
    epochs: f.number('epochs', 'positiveInt'),
    batchSize: f.number('batchSize', 'positiveInt'),
    maxSteps: f.number('maxSteps', 'positiveInt'),
    dataSeed,
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
