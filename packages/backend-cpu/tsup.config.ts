import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'addon-engine': 'src/addon-entry.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', 'addon-engine': 'src/addon-entry.ts' } },
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'es2022',
});
