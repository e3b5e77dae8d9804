import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', internal: 'src/internal.ts', conformance: 'src/conformance/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: false, // overwrite in place: other packages' typechecks never see an empty dist during a rebuild
  target: 'es2022',
});
