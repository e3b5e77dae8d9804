/** WebGPU enum bit values (spec constants), so the engine needs no `GPUBufferUsage` global (Dawn for Node does not set one). */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001 } as const;
