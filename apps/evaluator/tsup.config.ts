import { defineConfig } from 'tsup';

// ESM only: vega and vega-lite (the plots) ship as ES modules only; the CLI runs as dist/cli.js.
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
