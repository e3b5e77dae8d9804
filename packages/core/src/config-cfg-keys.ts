/**
 * The SaeConfig fields in cfg.json: one row per field (its cfg.json key, what a valid value is). The checkpoint writer
 * and reader and the training option schema (@msae/training's TRAINING_OPTIONS cfgKey) all take the keys from here.
 */
import { ARCHITECTURES, isArchitecture } from './architectures/registry.js';
import type { SaeConfig } from './config.js';
import { RECON_LOSSES, WEIGHTINGS } from './config-resolution.js';
import { ConfigError } from './errors.js';

export interface ConfigCfgKey {
  field: keyof SaeConfig;
  cfgKey: string;
  /** A valid cfg.json value, and its description for the refusal message. */
  check(v: unknown): boolean;
  expected: string;
  /**
   * Fields of an optional group (AuxK, JumpReLU) are written only when the config has the group's first field and
   * read only when the file has it; `optional` fields of a group may be absent even then.
   */
  group?: 'auxK' | 'threshold';
  optional?: boolean;
}

const isPosInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isNonNeg = (v: unknown) => typeof v === 'number' && v >= 0 && Number.isFinite(v);
const isPos = (v: unknown) => typeof v === 'number' && v > 0 && Number.isFinite(v);
const isNumArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const oneOf = (values: readonly string[]) => (v: unknown) => typeof v === 'string' && values.includes(v);

export const CONFIG_CFG_KEYS: readonly ConfigCfgKey[] = [
  { field: 'dIn', cfgKey: 'd_in', check: isPosInt, expected: 'a positive integer' },
  { field: 'dSae', cfgKey: 'd_sae', check: isPosInt, expected: 'a positive integer' },
  { field: 'architecture', cfgKey: 'architecture', check: isArchitecture, expected: `one of ${ARCHITECTURES.join(', ')}` },
  { field: 'k', cfgKey: 'k', check: isPosInt, expected: 'a positive integer' },
  { field: 'nesting', cfgKey: 'nesting', check: (v) => isNumArray(v) && (v as number[]).length > 0, expected: 'a non-empty array of integers' },
  { field: 'weights', cfgKey: 'weights', check: isNumArray, expected: 'an array of numbers' },
  { field: 'weighting', cfgKey: 'weighting', check: oneOf(WEIGHTINGS), expected: WEIGHTINGS.join(' or ') },
  { field: 'loss', cfgKey: 'loss', check: oneOf(RECON_LOSSES), expected: RECON_LOSSES.join(' or ') },
  { field: 'l1', cfgKey: 'l1_coefficient', check: isNonNeg, expected: 'a non-negative number' },
  { field: 'auxK', cfgKey: 'aux_k', check: isPosInt, expected: 'a positive integer', group: 'auxK' },
  { field: 'auxWeight', cfgKey: 'aux_k_coefficient', check: isNonNeg, expected: 'a non-negative number', group: 'auxK' },
  { field: 'deadAfter', cfgKey: 'dead_after_samples', check: isPosInt, expected: 'a positive integer', group: 'auxK' },
  { field: 'bandwidth', cfgKey: 'jumprelu_bandwidth', check: isPos, expected: 'a positive number', group: 'threshold' },
  { field: 'l0', cfgKey: 'l0_coefficient', check: isNonNeg, expected: 'a non-negative number', group: 'threshold' },
  { field: 'initThreshold', cfgKey: 'jumprelu_init_threshold', check: isPos, expected: 'a positive number', group: 'threshold', optional: true },
];

/** The cfg.json key of a SaeConfig field. */
export function cfgKeyOf(field: keyof SaeConfig): string {
  const row = CONFIG_CFG_KEYS.find((r) => r.field === field);
  if (!row) throw new ConfigError('cfgKeyOf', `no cfg.json key for config field '${field}'`);
  return row.cfgKey;
}

const groupLead = (group: ConfigCfgKey['group']) => CONFIG_CFG_KEYS.find((r) => r.group === group) as ConfigCfgKey;

/** The cfg.json keys of a config (arrays copied); a group's fields only when the config has its first field. */
export function configToCfg(config: SaeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const row of CONFIG_CFG_KEYS) {
    if (row.group && !config[groupLead(row.group).field]) continue;
    const v = config[row.field];
    if (v !== undefined) out[row.cfgKey] = Array.isArray(v) ? v.slice() : v;
  }
  return out;
}

/** The config fields of a cfg.json object; `fail` makes the error for a missing or invalid key. Not validated as a whole. */
export function configFromCfg(cfg: Record<string, unknown>, fail: (message: string) => Error): SaeConfig {
  const out: Record<string, unknown> = {};
  for (const row of CONFIG_CFG_KEYS) {
    if (row.group && cfg[groupLead(row.group).cfgKey] === undefined) continue;
    if (row.optional && cfg[row.cfgKey] === undefined) continue;
    if (!(row.cfgKey in cfg)) throw fail(`missing key '${row.cfgKey}'`);
    const v = cfg[row.cfgKey];
    if (!row.check(v)) throw fail(`'${row.cfgKey}' must be ${row.expected}, got ${JSON.stringify(v)?.slice(0, 80)}`);
    out[row.field] = Array.isArray(v) ? v.slice() : v;
  }
  return out as unknown as SaeConfig;
}
