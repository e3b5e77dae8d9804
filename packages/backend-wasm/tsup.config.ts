import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  sourcemap: false,
  clean: true,
  shims: true,
  target: 'es2022',
  // the engine code comes from backend-cpu's Node-free addon-engine entry, inlined so that a browser bundle of
  // this package never names @msae/backend-cpu (the native package)
  noExternal: ['@msae/backend-cpu'],
});
