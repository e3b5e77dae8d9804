import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', browser: 'src/browser.ts' },
  external: ['@lancedb/lancedb', 'apache-arrow', '@msae/clip'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: false,
  target: 'es2022',
  // import.meta.url (LanceDB's Arrow is required from its own location) in the CJS build
  shims: true,
});
