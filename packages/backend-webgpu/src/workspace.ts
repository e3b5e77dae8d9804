/** Named GPU buffers that grow with the batch: reallocated only when a call needs more than they hold. */
import type { GpuSession } from './gpu-buffers.js';

export class Workspace {
  private readonly buffers = new Map<string, { buffer: GPUBuffer; bytes: number }>();
  constructor(private readonly session: GpuSession) {}

  /** Make sure every named buffer holds at least `bytes`; returns them by name. */
  async ensure(specs: Record<string, number>): Promise<Record<string, GPUBuffer>> {
    const missing = Object.entries(specs).filter(([name, bytes]) => (this.buffers.get(name)?.bytes ?? -1) < bytes);
    if (missing.length > 0) {
      for (const [name] of missing) {
        this.buffers.get(name)?.buffer.destroy();
        this.buffers.delete(name);
      }
      const created = await this.session.allocate(missing.map(([name, bytes]) => ({ label: `workspace ${name}`, bytes })));
      missing.forEach(([name, bytes], i) => this.buffers.set(name, { buffer: created[i], bytes }));
    }
    return Object.fromEntries(Object.keys(specs).map((name) => [name, this.buffers.get(name)!.buffer]));
  }

  destroy(): void {
    for (const { buffer } of this.buffers.values()) buffer.destroy();
    this.buffers.clear();
  }
}
