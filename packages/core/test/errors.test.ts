import { describe, expect, it } from 'vitest';
import {
  CheckpointFormatError,
  ConfigError,
  decodeSafetensors,
  encodeSafetensors,
  FileFormatError,
  isMsaeError,
  MsaeError,
  nestingList,
  resolveConfig,
} from '../src/index.js';
import { decodeCheckpointCfg } from '../src/internal.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('typed errors', () => {
  it('MsaeError: one-line `<subject>: <problem>`, fields, and a marker that survives module copies', () => {
    const e = new MsaeError('run1/cfg.json', "missing key\n 'k'");
    expect([e.message, e.subject, e.problem, e.name]).toEqual(["run1/cfg.json: missing key 'k'", 'run1/cfg.json', "missing key 'k'", 'MsaeError']);
    expect(new MsaeError('', 'training diverged').message).toBe('training diverged');
    expect(isMsaeError(e)).toBe(true);
    expect(isMsaeError(Object.assign(new Error('x: y'), { [Symbol.for('msae.error')]: true }))).toBe(true);
    expect(isMsaeError(Object.assign(new Error('x: y'), { isMsaeError: true }))).toBe(false);
    expect(isMsaeError(new Error('x: y'))).toBe(false);
    expect(isMsaeError('x: y')).toBe(false);
  });

  it('MsaeError.isInstance recognises an error of a second copy of the module (Symbol.for marker), where instanceof does not', async () => {
    // a query string makes Vite load errors.ts again: a second copy of the class, as an ESM + CJS pair or a bundle would
    const specifier = '../src/errors.js?second-copy';
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof import('../src/errors.js');
    expect(copy.MsaeError).not.toBe(MsaeError);
    const other = new copy.ConfigError('cfg.json', 'bad k');
    expect(other instanceof MsaeError).toBe(false);
    expect(MsaeError.isInstance(other)).toBe(true);
    expect(copy.MsaeError.isInstance(new ConfigError('config', 'bad'))).toBe(true);
    expect(MsaeError.isInstance(new Error('plain'))).toBe(false);
    expect(MsaeError.isInstance(null)).toBe(false);
  });

  it('config validation throws ConfigError with its context', () => {
    const e = caught(() => resolveConfig({ dIn: 8, dSae: 16, architecture: 'topk', k: 32 }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e).toBeInstanceOf(MsaeError);
    expect((e as ConfigError).context).toBe('config');
    expect((e as ConfigError).problem).toBe('k (32) must be <= d_sae (16)');
    const n = caught(() => nestingList(0, 16)) as ConfigError;
    expect([n.name, n.subject, n.problem]).toEqual(['ConfigError', 'nesting', 'k must be a positive integer, got 0']);
  });

  it('cfg.json decoding throws CheckpointFormatError naming the file', () => {
    const e = caught(() => decodeCheckpointCfg('{"d_in": 8}', 'run1/cfg.json')) as CheckpointFormatError;
    expect(e).toBeInstanceOf(CheckpointFormatError);
    expect(e).toBeInstanceOf(FileFormatError);
    expect([e.file, e.problem]).toEqual(['run1/cfg.json', "missing key 'd_sae'"]);
    const bad = caught(() => decodeCheckpointCfg('{not json', 'run1/cfg.json')) as CheckpointFormatError;
    expect(bad.file).toBe('run1/cfg.json');
    expect(bad.problem).toMatch(/^invalid JSON \(/);
  });

  it('safetensors decoding throws FileFormatError naming the file', () => {
    const bytes = encodeSafetensors({ w: { shape: [2], data: new Float32Array([1, 2]) } });
    const truncated = caught(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4), 'w.safetensors')) as FileFormatError;
    expect(truncated).toBeInstanceOf(FileFormatError);
    expect(truncated.file).toBe('w.safetensors');
    expect(truncated.problem).toMatch(/^truncated safetensors file \(tensor 'w' ends at data byte 8/);
    const corrupt = new Uint8Array(bytes);
    corrupt[9] = 0x7d; // the header JSON now starts '{}' and the rest is garbage
    expect((caught(() => decodeSafetensors(corrupt, 'w.safetensors')) as FileFormatError).problem).toMatch(/^corrupt safetensors header/);
  });
});
