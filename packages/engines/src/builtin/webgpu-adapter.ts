import type { Availability } from '../provider-registry.js';

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: AdapterInfo;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** Software rasterizers that expose WebGPU adapters (slower than the CPU engines). */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

/** Kind of the WebGPU adapter `navigator.gpu` offers here, if any. */
export async function probeWebGpuAdapter(): Promise<{ kind: 'none'; reason: string } | { kind: 'hardware' | 'software'; label: string }> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (gpu === undefined) return { kind: 'none', reason: 'no WebGPU here (navigator.gpu is missing)' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) return { kind: 'none', reason: 'navigator.gpu offers no adapter' };
  const info = adapter.info ?? {};
  const label = [info.vendor, info.architecture, info.device, info.description].filter((s) => s).join(' ') || 'unnamed adapter';
  const software = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(label);
  return { kind: software ? 'software' : 'hardware', label };
}

/** Availability of a WebGPU engine: `auto` may pick it on a hardware adapter; a software one only by name. */
export async function webGpuAvailability(engine: string): Promise<Availability> {
  const probe = await probeWebGpuAdapter();
  if (probe.kind === 'none') return { available: false, reason: probe.reason };
  if (probe.kind === 'software') {
    return { available: true, auto: false, reason: `software WebGPU adapter (${probe.label}): auto skips it; ask for '${engine}' by name` };
  }
  return { available: true, reason: `hardware WebGPU adapter (${probe.label})` };
}
