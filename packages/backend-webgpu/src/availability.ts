import { type AdapterDescription, adapterLabel, requestAdapter } from './gpu-context.js';

export interface WebGpuAvailability {
  available: boolean;
  /** Why not (one line), when unavailable. */
  reason?: string;
  adapter?: AdapterDescription;
  /** true for SwiftShader / llvmpipe / lavapipe / WARP: correct but slow; `auto` never prefers it. */
  software?: boolean;
  /** e.g. "nvidia hopper" or "google swiftshader [software]". */
  label?: string;
}

/** Whether a WebGPU adapter is reachable here (browser or Node), and whether it is hardware or software. */
export async function webGpuEngineAvailability(): Promise<WebGpuAvailability> {
  try {
    const { description } = await requestAdapter();
    return { available: true, adapter: description, software: description.software, label: adapterLabel(description) };
  } catch (e) {
    return { available: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
