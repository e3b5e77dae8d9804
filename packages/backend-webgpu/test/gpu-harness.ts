/** Test helper: run one kernel of the engine on hand-made buffers and read a buffer back. */
import { createDevice, type DeviceHandle } from '../src/index.js';
import { GpuSession } from '../src/gpu-buffers.js';
import { BufferUsage } from '../src/gpu-flags.js';
import { packRun, type RunFields } from '../src/run-uniform.js';

export class KernelHarness {
  readonly session: GpuSession;
  private constructor(readonly handle: DeviceHandle) {
    this.session = new GpuSession(handle.device);
  }

  static async create(): Promise<KernelHarness> {
    return new KernelHarness(await createDevice());
  }

  async storage(data: Float32Array | Uint32Array): Promise<GPUBuffer> {
    const [b] = await this.session.allocate([{ label: 'test', bytes: data.byteLength }]);
    this.session.write(b, data);
    return b;
  }

  async uniform(data: Uint32Array | ArrayBuffer): Promise<GPUBuffer> {
    const bytes = data instanceof ArrayBuffer ? data : data.buffer;
    const [b] = await this.session.allocate([{ label: 'test uniform', bytes: bytes.byteLength, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST }]);
    this.session.device.queue.writeBuffer(b, 0, bytes);
    return b;
  }

  runUniform(fields: RunFields): Promise<GPUBuffer> {
    return this.uniform(packRun(fields));
  }

  /** Dispatch `code` with bindings 0..n = buffers on a grid, then read `out` back (`bytes` bytes). */
  async dispatch(code: string, buffers: GPUBuffer[], grid: [number, number], out: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    const device = this.session.device;
    const module = device.createShaderModule({ code });
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(grid[0], grid[1]);
    pass.end();
    const [r] = await this.session.read([{ buffer: out, bytes }], enc);
    return r;
  }

  destroy(): void {
    this.handle.device.destroy();
  }
}
