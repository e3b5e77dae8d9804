// Untrusted .pth / ae.pt files are read in bounded memory and time (issue 22, items 1 and 2): only the zip
// entries the pickle references are inflated, each capped at the size the pickle declares, and every tensor's
// element count and extent are checked against its storage and a stated limit before anything is allocated.
// The hostile files are generated here (see torch-fixtures.ts); each is loaded in a child process whose peak
// RSS and wall time are measured.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TORCH_LIMITS, IoError, loadCheckpoint } from '../src/index.js';
import { deflateBomb, f32, torchFile, type PickledTensor } from './torch-fixtures.js';

const NAME = '32_8_TopKReLU_4_RW_False_False_0.0_hostile.pth';
const D_IN = 8;
const D_SAE = 32;
const encoder = Array.from({ length: D_IN * D_SAE }, (_, i) => (i % 17) - 8);
const latentBias = Array.from({ length: D_SAE }, (_, i) => i / 10);
const preBias = Array.from({ length: D_IN }, (_, i) => -i);

/** The paper's checkpoint dict with the given tensors (encoder [d_in, d_sae] row-major on storage '0'). */
function paperDict(tensors: Partial<Record<'encoder' | 'latent_bias' | 'pre_bias', PickledTensor>> = {}) {
  return {
    model: new Map<string, PickledTensor>([
      ['encoder', tensors.encoder ?? { storage: '0', storageNumel: D_IN * D_SAE, size: [D_IN, D_SAE], stride: [D_SAE, 1] }],
      ['latent_bias', tensors.latent_bias ?? { storage: '1', storageNumel: D_SAE, size: [D_SAE], stride: [1] }],
      ['pre_bias', tensors.pre_bias ?? { storage: '2', storageNumel: D_IN, size: [D_IN], stride: [1] }],
    ]),
    scaling_factor: 1,
  };
}

const STORAGES = { '0': f32(encoder), '1': f32(latentBias), '2': f32(preBias) };

let dir: string;
let script: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-torch-'));
  script = join(dir, 'child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./torch-child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
  });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface ChildResult {
  message?: string;
  dSae?: number;
  ms: number;
  peakRssMiB: number;
}

/** Write `bytes` under `name` and load it in a child process. */
async function loadInChild(name: string, bytes: Uint8Array): Promise<ChildResult> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  const { stdout } = await promisify(execFile)(process.execPath, [script, file], { maxBuffer: 1 << 20, timeout: 60_000 });
  return JSON.parse(stdout) as ChildResult;
}

describe('untrusted torch files', () => {
  it('the hand-built paper checkpoint loads to the tensors written (the builder is right)', async () => {
    const file = join(dir, NAME);
    await writeFile(file, torchFile(paperDict(), STORAGES));
    const ckpt = await loadCheckpoint(file);
    expect(ckpt.config).toMatchObject({ dIn: D_IN, dSae: D_SAE, k: 4 });
    expect(Array.from(ckpt.params.W_enc)).toEqual(encoder);
    expect(Array.from(ckpt.params.b_enc)).toEqual(latentBias.map((v) => Math.fround(v)));
    expect(Array.from(ckpt.params.b_dec)).toEqual(preBias);
  });

  it('a 5 GiB deflated bomb in a referenced storage is refused within 1 s and 256 MB', async () => {
    const bomb = deflateBomb(5120);
    expect(bomb.length).toBeLessThan(6e6);
    // the zip entry declares the size the pickle expects (1024 bytes) but inflates to 5 GiB
    const bytes = torchFile(paperDict(), { ...STORAGES, '0': { data: bomb, method: 8, size: 4 * D_IN * D_SAE } });
    const r = await loadInChild(NAME, bytes);
    expect(r.message).toMatch(/hostile\.pth: zip entry archive\/data\/0 inflates past the 1024 bytes it declares/);
    expect(r.message).not.toContain('\n');
    expect(r.ms).toBeLessThan(1000);
    expect(r.peakRssMiB).toBeLessThan(256);
  });

  it('a 5 GiB bomb in an entry the pickle does not reference is never inflated: the checkpoint loads', async () => {
    const bytes = torchFile(paperDict(), STORAGES, [{ name: 'archive/data/99', data: deflateBomb(5120), method: 8, size: 0xfffffff0 }]);
    const r = await loadInChild(NAME, bytes);
    expect(r.message).toBeUndefined();
    expect(r.dSae).toBe(D_SAE);
    expect(r.ms).toBeLessThan(1000);
    expect(r.peakRssMiB).toBeLessThan(256);
  });

  it('a stride-0 tensor (torch.zeros(1).expand(512, 1000000)) of a 3 KB file is refused within 1 s and 256 MB', async () => {
    const expanded = (size: number[]): PickledTensor => ({ storage: '0', storageNumel: 1, size, stride: size.map(() => 0) });
    const dict = paperDict({ encoder: expanded([512, 1_000_000]), latent_bias: expanded([1_000_000]), pre_bias: expanded([512]) });
    const bytes = torchFile(dict, { '0': f32([0]) });
    expect(bytes.length).toBeLessThan(4000);
    const r = await loadInChild('1000000_512_TopKReLU_64_RW_False_False_0.0_expanded.pth', bytes);
    expect(r.message).toMatch(/expanded\.pth: tensor of shape \[512, 1000000\] \(stride \[0, 0\]\) on storage 0 has 512000000 elements, more than the 268435456 msae reads per tensor/);
    expect(r.ms).toBeLessThan(1000);
    expect(r.peakRssMiB).toBeLessThan(256);
  });

  it('a stride-0 view within the element limit is refused because it repeats its storage', async () => {
    const file = join(dir, '4096_512_TopKReLU_64_RW_False_False_0.0_repeat.pth');
    const expanded = (size: number[]): PickledTensor => ({ storage: '0', storageNumel: 1, size, stride: size.map(() => 0) });
    await writeFile(file, torchFile(paperDict({ encoder: expanded([512, 4096]), latent_bias: expanded([4096]), pre_bias: expanded([512]) }), { '0': f32([0]) }));
    const err = await loadCheckpoint(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as IoError).problem).toBe('tensor of shape [512, 4096] (stride [0, 0]) on storage 0 has 2097152 elements but its storage holds 1: a view that repeats elements (stride 0, expand) is not read');
  });

  it('views past their storage, storages larger than the limit, and entries that contradict the pickle are refused', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'offset past the storage',
        torchFile(paperDict({ encoder: { storage: '0', storageNumel: D_IN * D_SAE, offset: 250, size: [D_IN, D_SAE], stride: [D_SAE, 1] } }), STORAGES),
        /on storage 0 at offset 250 reaches element 505 of a storage of 256$/,
      ],
      [
        'declared storages over the total limit (checked before inflating)',
        torchFile(paperDict({ encoder: { storage: '0', storageNumel: 600_000_000, size: [D_IN, D_SAE], stride: [D_SAE, 1] } }), {
          ...STORAGES,
          '0': { data: deflateBomb(4), method: 8, size: 2_400_000_000 },
        }),
        new RegExp(`its storages declare more than ${DEFAULT_TORCH_LIMITS.maxStorageBytes} bytes, the most msae reads$`),
      ],
      ['a stored entry shorter than the pickle says', torchFile(paperDict(), { ...STORAGES, '1': f32([1, 2, 3]) }), /zip entry archive\/data\/1 declares 12 bytes but the pickle says 128 \(32 float32\)$/],
      ['a storage the zip lacks', torchFile(paperDict(), { '0': STORAGES['0'], '1': STORAGES['1'] }), /storage 2 is missing from the zip \(archive\/data\/2\)$/],
    ];
    for (const [what, bytes, expected] of cases) {
      const file = join(dir, NAME);
      await writeFile(file, bytes);
      const err = await loadCheckpoint(file).catch((e: unknown) => e);
      expect(err, what).toBeInstanceOf(IoError);
      expect((err as Error).message, what).toMatch(expected);
      expect((err as Error).message, what).not.toContain('\n');
    }
  });
});
