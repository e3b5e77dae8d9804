import { MsaeError } from '@msae/core';

/** Typed errors of the WebGPU engine (MsaeErrors). Every message is one line that starts with "webgpu engine:". */
export class WebGpuEngineError extends MsaeError {
  constructor(message: string) {
    super('webgpu engine', message.startsWith('webgpu engine: ') ? message.slice('webgpu engine: '.length) : message);
    this.name = 'WebGpuEngineError';
  }
}

/** No WebGPU here: no `navigator.gpu`, the optional `webgpu` package is missing, or no adapter was found. */
export class WebGpuUnavailableError extends WebGpuEngineError {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

/** The GPU device was lost (destroyed, driver reset, GPU removed); the engine cannot continue. */
export class WebGpuDeviceLostError extends WebGpuEngineError {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuDeviceLostError';
  }
}

/** A buffer could not be allocated: out of GPU memory, or over one of the adapter's size limits. */
export class WebGpuOutOfMemoryError extends WebGpuEngineError {
  readonly bytes: number;
  constructor(message: string, bytes: number) {
    super(message);
    this.name = 'WebGpuOutOfMemoryError';
    this.bytes = bytes;
  }
}

/** Bad input to an engine method (shapes, rows, k). */
export class WebGpuInputError extends WebGpuEngineError {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuInputError';
  }
}
