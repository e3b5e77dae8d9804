/**
 * Buffer allocation with the adapter's limits checked first and out-of-memory caught through an error scope,
 * and readback that cannot hang on a lost device (every wait races the device's `lost` promise).
 */
import { WebGpuDeviceLostError, WebGpuEngineError, WebGpuOutOfMemoryError } from './errors.js';
import { BufferUsage, MapMode } from './gpu-flags.js';

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${n} B`;
}

export const STORAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/** A device plus the bookkeeping that turns loss and allocation failures into typed errors. */
export class GpuSession {
  readonly device: GPUDevice;
  private lostInfo: GPUDeviceLostInfo | null = null;
  private readonly lostError: Promise<never>;

  constructor(device: GPUDevice) {
    this.device = device;
    this.lostError = device.lost.then((info) => {
      this.lostInfo = info;
      throw this.lostErrorOf(info);
    });
    this.lostError.catch(() => undefined); // observed by race() only
  }

  private lostErrorOf(info: GPUDeviceLostInfo): WebGpuDeviceLostError {
    const why = [info.reason, info.message].filter((s) => s && String(s).length > 0).join(': ').split('\n')[0];
    return new WebGpuDeviceLostError(`the GPU device was lost (${why || 'unknown reason'}); create a new engine`);
  }

  get lost(): boolean {
    return this.lostInfo !== null;
  }

  /** Throw WebGpuDeviceLostError when the device is gone. */
  check(): void {
    if (this.lostInfo) throw this.lostErrorOf(this.lostInfo);
  }

  /** Await p, or fail with WebGpuDeviceLostError as soon as the device is lost. */
  async race<T>(p: Promise<T>): Promise<T> {
    this.check();
    try {
      return await Promise.race([p, this.lostError]);
    } catch (e) {
      if (this.lostInfo) throw this.lostErrorOf(this.lostInfo);
      throw e;
    }
  }

  /** Create buffers; sizes over the adapter's limits and allocation failures become WebGpuOutOfMemoryError. */
  async allocate(specs: { label: string; bytes: number; usage?: number }[]): Promise<GPUBuffer[]> {
    this.check();
    const limits = this.device.limits;
    for (const s of specs) {
      const storage = (s.usage ?? STORAGE) & BufferUsage.STORAGE;
      const max = storage ? Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) : limits.maxBufferSize;
      if (!(s.bytes <= max)) {
        throw new WebGpuOutOfMemoryError(
          `${s.label} needs a ${formatBytes(s.bytes)} buffer, over this device's limit of ${formatBytes(max)} (use a smaller batch or fewer latents)`,
          s.bytes,
        );
      }
    }
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    const buffers = specs.map((s) => this.device.createBuffer({ label: s.label, size: Math.max(16, Math.ceil(s.bytes / 16) * 16), usage: s.usage ?? STORAGE }));
    const validation = await this.race(this.device.popErrorScope());
    const oom = await this.race(this.device.popErrorScope());
    if (oom || validation) {
      for (const b of buffers) b.destroy();
      const total = specs.reduce((a, s) => a + s.bytes, 0);
      const what = specs.map((s) => s.label).join(', ');
      if (oom) throw new WebGpuOutOfMemoryError(`out of GPU memory allocating ${formatBytes(total)} (${what})`, total);
      throw new WebGpuOutOfMemoryError(`could not allocate ${formatBytes(total)} (${what}): ${validation!.message.split('\n')[0]}`, total);
    }
    return buffers;
  }

  /** Copy `bytes` bytes of each source (from offset 0) to the CPU; one submission, one map per buffer. */
  async read(sources: { buffer: GPUBuffer; bytes: number }[], encoder?: GPUCommandEncoder): Promise<ArrayBuffer[]> {
    this.check();
    const staging = await this.allocate(sources.map((s, i) => ({ label: `readback ${i}`, bytes: s.bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST })));
    const enc = encoder ?? this.device.createCommandEncoder();
    sources.forEach((s, i) => enc.copyBufferToBuffer(s.buffer, 0, staging[i], 0, Math.ceil(s.bytes / 4) * 4));
    this.device.queue.submit([enc.finish()]);
    try {
      const out: ArrayBuffer[] = [];
      for (let i = 0; i < sources.length; i++) {
        await this.race(staging[i].mapAsync(MapMode.READ, 0, Math.ceil(sources[i].bytes / 4) * 4));
        out.push(staging[i].getMappedRange(0, Math.ceil(sources[i].bytes / 4) * 4).slice(0));
        staging[i].unmap();
      }
      return out;
    } catch (e) {
      if (e instanceof WebGpuEngineError) throw e;
      throw new WebGpuEngineError(`reading results back failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    } finally {
      for (const s of staging) s.destroy();
    }
  }

  /** Upload a typed array into a buffer at byte offset 0. */
  write(buffer: GPUBuffer, data: Float32Array | Uint32Array, byteOffset = 0): void {
    this.check();
    this.device.queue.writeBuffer(buffer, byteOffset, data.buffer, data.byteOffset, data.byteLength);
  }
}
