/** The GPU device engines share by default (one per process / page), recreated after a loss. */
import { type AdapterDescription, describeAdapter, engineLimits, requestAdapter } from './gpu-context.js';
import { WebGpuUnavailableError } from './errors.js';

export interface DeviceHandle {
  device: GPUDevice;
  adapter: AdapterDescription;
}

/** A new device on the best adapter, with the adapter's maxima for the buffer and workgroup-storage limits. */
export async function createDevice(powerPreference: GPUPowerPreference = 'high-performance'): Promise<DeviceHandle> {
  const { adapter, description } = await requestAdapter(powerPreference);
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ label: 'msae webgpu engine', requiredLimits: engineLimits(adapter) });
  } catch (e) {
    throw new WebGpuUnavailableError(`requestDevice failed on ${description.description || description.vendor}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  return { device, adapter: description };
}

let shared: Promise<DeviceHandle> | null = null;

/** The shared device (created on first use; a lost one is replaced on the next call). */
export async function sharedDevice(powerPreference?: GPUPowerPreference): Promise<DeviceHandle> {
  if (!shared) {
    const p = createDevice(powerPreference);
    shared = p;
    p.then(
      (h) => h.device.lost.then(() => {
        if (shared === p) shared = null;
      }),
      () => {
        if (shared === p) shared = null;
      },
    );
  }
  return shared;
}

/** Describe a caller-supplied device (its adapter is not reachable from a GPUDevice; `adapterInfo` where offered). */
export function describeDevice(device: GPUDevice): AdapterDescription {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  const fake = { info } as unknown as GPUAdapter;
  return describeAdapter(fake, typeof navigator !== 'undefined' && (navigator as { gpu?: unknown }).gpu ? 'navigator.gpu' : 'webgpu (Dawn)');
}
