/**
 * Finding a WebGPU implementation: `navigator.gpu` in browsers (and Deno), else the optional `webgpu`
 * npm package (Dawn) in Node, loaded with a dynamic import so the engine installs and bundles without it.
 */
import { WebGpuUnavailableError } from './errors.js';

/** What the adapter says about itself, and whether it is a software rasterizer. */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** SwiftShader, llvmpipe, lavapipe, WARP, or an adapter flagged as fallback. */
  software: boolean;
  /** Where the GPU object came from. */
  source: 'navigator.gpu' | 'webgpu (Dawn)';
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|warp/i;

/** Adapter info as plain strings, and the software flag. */
export function describeAdapter(adapter: GPUAdapter, source: AdapterDescription['source']): AdapterDescription {
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  const field = (k: 'vendor' | 'architecture' | 'device' | 'description'): string => String(info?.[k] ?? '');
  const d = { vendor: field('vendor'), architecture: field('architecture'), device: field('device'), description: field('description') };
  const fallback = Boolean((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  const software = fallback || SOFTWARE.test(`${d.vendor} ${d.architecture} ${d.device} ${d.description}`);
  return { ...d, software, source };
}

/** One-line label, e.g. "google swiftshader (Subzero) [software]". */
export function adapterLabel(a: AdapterDescription): string {
  const parts = [a.vendor, a.architecture, a.device, a.description].filter((s) => s.length > 0);
  const unique = parts.filter((s, i) => parts.indexOf(s) === i);
  return `${unique.join(' ') || 'unknown adapter'}${a.software ? ' [software]' : ''}`;
}

let nodeGpu: Promise<GPU> | null = null;

/**
 * Linux: Dawn's Vulkan backend needs the Vulkan loader (libvulkan.so.1). Checked before Dawn is loaded, so a
 * machine without one gets a one-line reason instead of Dawn's native warning on stderr.
 */
async function linuxVulkanLoaderMissing(): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  const fsName = 'node:fs'; // variables: browser bundles never see Node built-ins
  const pathName = 'node:path';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
  const path = (await import(/* @vite-ignore */ pathName)) as typeof import('node:path');
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib', '/lib64', '/lib'];
  if (dirs.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')))) return null;
  try {
    if (fs.readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1')) return null;
  } catch {
    return null; // no cache to consult: let Dawn try
  }
  return 'no Vulkan loader (libvulkan.so.1) on this Linux machine: apt-get install -y libvulkan1 (and a Vulkan driver), or LD_LIBRARY_PATH=/usr/lib/chromium with Chromium\'s SwiftShader';
}

/** Dawn's GPU object for Node (one per process). Throws WebGpuUnavailableError when `webgpu` is not installed. */
async function loadNodeGpu(): Promise<GPU> {
  nodeGpu ??= (async () => {
    const missing = await linuxVulkanLoaderMissing();
    if (missing) {
      nodeGpu = null;
      throw new WebGpuUnavailableError(missing);
    }
    const specifier = 'webgpu'; // a variable, so bundlers leave the optional import alone
    let mod: { create(flags: string[]): GPU };
    try {
      mod = (await import(/* @vite-ignore */ specifier)) as { create(flags: string[]): GPU };
    } catch (e) {
      nodeGpu = null;
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new WebGpuUnavailableError(`the optional package 'webgpu' (Dawn for Node) is not installed (npm install webgpu): ${why}`);
    }
    return mod.create([]);
  })();
  return nodeGpu;
}

/** The GPU object: `navigator.gpu` when present, else Dawn through the `webgpu` package. */
export async function getGpu(): Promise<{ gpu: GPU; source: AdapterDescription['source'] }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, source: 'navigator.gpu' };
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (!isNode) throw new WebGpuUnavailableError('this browser has no WebGPU (navigator.gpu is undefined)');
  return { gpu: await loadNodeGpu(), source: 'webgpu (Dawn)' };
}

const NO_ADAPTER_NODE =
  'no WebGPU adapter: Dawn found no usable Vulkan/Metal/D3D12 driver (Linux without a GPU: ' +
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json, plus LD_LIBRARY_PATH=/usr/lib/chromium when libvulkan1 is not installed)';

/** Request a high-performance adapter; throws WebGpuUnavailableError when there is none. */
export async function requestAdapter(powerPreference: GPUPowerPreference = 'high-performance'): Promise<{ adapter: GPUAdapter; description: AdapterDescription }> {
  const { gpu, source } = await getGpu();
  const adapter = await gpu.requestAdapter({ powerPreference });
  if (!adapter) throw new WebGpuUnavailableError(source === 'navigator.gpu' ? 'no WebGPU adapter (navigator.gpu.requestAdapter() returned null)' : NO_ADAPTER_NODE);
  return { adapter, description: describeAdapter(adapter, source) };
}

/** The limits the engine asks for: the adapter's maxima for the ones large batches need. */
export function engineLimits(adapter: GPUAdapter): Record<string, number> {
  const l = adapter.limits;
  return {
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
  };
}
