/**
 * Every compute pipeline of one engine configuration, compiled once per device and configuration (shaders are
 * specialised on d_in, d_sae, the nesting weights, the loss and the optimizer constants).
 */
import type { OptimizerConfig, SaeConfig } from '@msae/core';
import { WebGpuEngineError } from './errors.js';
import { batchHistWgsl, batchInitWgsl, batchPickWgsl, batchTieCountWgsl, batchTieScanWgsl } from './kernels/batch-threshold.js';
import { biasDecGradWgsl, biasDecPartialWgsl, columnCountWgsl, columnFillWgsl, columnScanWgsl, sddmmWgsl, weightGradWgsl } from './kernels/backward.js';
import { decodeBandsWgsl } from './kernels/decode-bands.js';
import { centerWgsl, densifyWgsl, lossSumWgsl } from './kernels/elementwise.js';
import { type GemmSpec, gemmWgsl } from './kernels/gemm.js';
import { adamwWgsl, gradNormWgsl, renormProjectWgsl } from './kernels/optimizer.js';
import { type KernelDims, kernelDims, paramLayout } from './kernels/prelude.js';
import { selectRowsWgsl } from './kernels/select-rows.js';

export interface Kernel {
  name: string;
  pipeline: GPUComputePipeline;
}

export type GemmRole = 'encode' | 'decode';

export type KernelName =
  | 'center' | 'gemmEncode4' | 'gemmEncode8' | 'gemmDecode4' | 'gemmDecode8'
  | 'select' | 'batchInit' | 'batchHist' | 'batchPick' | 'batchTieCount' | 'batchTieScan' | 'densify'
  | 'decode' | 'sddmm' | 'columnCount' | 'columnScan' | 'columnFill' | 'weightGrad' | 'biasDecPartial' | 'biasDecGrad'
  | 'renormProject' | 'gradNorm' | 'adamw' | 'lossSum';

/** The kernels of one configuration; each is compiled on first use. */
export interface KernelSet {
  dims: KernelDims;
  layout: ReturnType<typeof paramLayout>;
  gemmSpec(role: GemmRole, block: 4 | 8): GemmSpec;
  /** The compiled pipeline of a kernel (compiled once per device and WGSL text, so shapes share the generic ones). */
  get(name: KernelName): Promise<Kernel>;
}

function gemmSpecOf(dims: KernelDims, layout: ReturnType<typeof paramLayout>, role: GemmRole, block: 4 | 8): GemmSpec {
  return role === 'encode'
    ? { n: dims.dSae, k: dims.dIn, transposeB: true, bOffset: layout.wEnc, biasOffset: layout.bEnc, block }
    : { n: dims.dIn, k: dims.dSae, transposeB: false, bOffset: layout.wDec, biasOffset: layout.bDec, block };
}

/** WGSL of every kernel of a configuration (exported for tests and for inspecting the shaders). */
export function kernelSources(config: SaeConfig, optimizer: OptimizerConfig): Record<KernelName, string> {
  const dims = kernelDims(config, optimizer);
  const layout = paramLayout(config.dIn, config.dSae);
  return {
    center: centerWgsl(dims.dIn, layout.bDec),
    gemmEncode4: gemmWgsl(true, 4),
    gemmEncode8: gemmWgsl(true, 8),
    gemmDecode4: gemmWgsl(false, 4),
    gemmDecode8: gemmWgsl(false, 8),
    select: selectRowsWgsl(dims.dSae),
    batchInit: batchInitWgsl(),
    batchHist: batchHistWgsl(dims.dSae),
    batchPick: batchPickWgsl(),
    batchTieCount: batchTieCountWgsl(dims.dSae),
    batchTieScan: batchTieScanWgsl(),
    densify: densifyWgsl(dims.dSae),
    decode: decodeBandsWgsl(dims, layout.wDec, layout.bDec),
    sddmm: sddmmWgsl(dims, layout.wDec),
    columnCount: columnCountWgsl(dims),
    columnScan: columnScanWgsl(dims),
    columnFill: columnFillWgsl(dims),
    weightGrad: weightGradWgsl(dims, layout),
    biasDecPartial: biasDecPartialWgsl(dims, layout),
    biasDecGrad: biasDecGradWgsl(dims, layout),
    renormProject: renormProjectWgsl(dims, layout),
    gradNorm: gradNormWgsl(dims, layout.bDec),
    adamw: adamwWgsl(dims, layout.total),
    lossSum: lossSumWgsl(dims.levels),
  };
}

const compiled = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

async function compile(device: GPUDevice, name: string, code: string): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ label: name, code });
  try {
    return await device.createComputePipelineAsync({ label: name, layout: 'auto', compute: { module, entryPoint: 'main' } });
  } catch (e) {
    const info = await module.getCompilationInfo().catch(() => null);
    const first = info?.messages.find((m) => m.type === 'error');
    const why = first ? `line ${first.lineNum}: ${first.message}` : e instanceof Error ? e.message : String(e);
    throw new WebGpuEngineError(`kernel '${name}' failed to compile: ${why.split('\n')[0]}`);
  }
}

/** The kernels of a configuration on a device. */
export function kernelSet(device: GPUDevice, config: SaeConfig, optimizer: OptimizerConfig): KernelSet {
  let perDevice = compiled.get(device);
  if (!perDevice) compiled.set(device, (perDevice = new Map()));
  const cache = perDevice;
  const sources = kernelSources(config, optimizer);
  const dims = kernelDims(config, optimizer);
  const layout = paramLayout(config.dIn, config.dSae);
  return {
    dims,
    layout,
    gemmSpec: (role, block) => gemmSpecOf(dims, layout, role, block),
    async get(name) {
      const code = sources[name];
      let p = cache.get(code);
      if (!p) {
        p = compile(device, name, code);
        p.catch(() => cache.delete(code));
        cache.set(code, p);
      }
      return { name, pipeline: await p };
    },
  };
}
