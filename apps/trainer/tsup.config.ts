import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } }, // the package's "types" (reportKs, runTraining, ...)
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
