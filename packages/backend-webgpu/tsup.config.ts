import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // the public types name GPUDevice & co.: every consumer gets them from @webgpu/types (a dependency)
  dts: { banner: '/// <reference types="@webgpu/types" />' },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // `webgpu` (Dawn for Node) is optional and loaded with a dynamic import at run time.
  external: ['webgpu'],
});
