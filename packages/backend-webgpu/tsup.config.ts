import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // `webgpu` (Dawn for Node) is optional and loaded with a dynamic import at run time.
  external: ['webgpu'],
});
