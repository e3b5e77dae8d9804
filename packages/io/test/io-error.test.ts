import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointFormatError, encodeSafetensors, FileFormatError, isMsaeError, MsaeError } from '@msae/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asIoError, EmbeddingFileError, IoError, isEmbeddingFileError, isIoError, loadCheckpoint, readEmbeddings } from '../src/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-io-error-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function caught(p: Promise<unknown>): Promise<IoError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(IoError);
  return e as IoError;
}

describe('IoError', () => {
  it('is an MsaeError with file and problem; the old names are aliases', () => {
    const e = new IoError('a.npy', 'not found');
    expect([e.message, e.file, e.problem, e.name]).toEqual(['a.npy: not found', 'a.npy', 'not found', 'IoError']);
    expect(e).toBeInstanceOf(MsaeError);
    expect(isMsaeError(e)).toBe(true);
    expect(isIoError(e)).toBe(true);
    expect(e).toBeInstanceOf(EmbeddingFileError);
    expect(new EmbeddingFileError('b.npy', 'x')).toBeInstanceOf(IoError);
    expect(isEmbeddingFileError(e)).toBe(true);
    expect(isIoError(Object.assign(new Error('a: b'), { isIoError: true }))).toBe(true);
    expect(isIoError(new MsaeError('a', 'b'))).toBe(false);
  });

  it('asIoError keeps typed core errors as IoErrors about their file, and leaves bugs alone', () => {
    const core = new FileFormatError('w.safetensors', 'corrupt safetensors header (empty header)');
    const io = asIoError('ckpt', core) as IoError;
    expect([io.file, io.problem, io.cause]).toEqual(['w.safetensors', 'corrupt safetensors header (empty header)', core]);
    expect((asIoError('ckpt', new MsaeError('', 'no subject')) as IoError).file).toBe('ckpt');
    const bug = new TypeError('x is undefined');
    expect(asIoError('ckpt', bug)).toBe(bug);
  });

  it('a corrupt safetensors embedding file: an IoError about the file whose cause is the core error', async () => {
    const file = join(dir, 'bad.safetensors');
    const bytes = encodeSafetensors({ embeddings: { shape: [2, 2], data: new Float32Array(4) } });
    await writeFile(file, bytes.subarray(0, bytes.length - 3));
    const e = await caught(readEmbeddings(file));
    expect(e.file).toBe(file);
    expect(e.problem).toMatch(/^truncated safetensors file/);
    expect(e.message.startsWith(`${file}: truncated`)).toBe(true);
  });

  it('a cfg.json missing a key: an IoError about that cfg.json, from a CheckpointFormatError', async () => {
    const ckpt = join(dir, 'ckpt');
    await mkdir(ckpt);
    await writeFile(join(ckpt, 'cfg.json'), '{"format": "msae", "d_in": 4}'); // msae's own layout: every key is required
    await writeFile(join(ckpt, 'sae_weights.safetensors'), encodeSafetensors({ W_enc: { shape: [1], data: new Float32Array(1) } }));
    const e = await caught(loadCheckpoint(ckpt));
    expect([e.file, e.problem]).toEqual([join(ckpt, 'cfg.json'), "missing key 'd_sae'"]);
    expect(e.cause).toBeInstanceOf(CheckpointFormatError);
    expect(e.message).not.toContain('\n');
  });
});
