import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run against @msae/core's source so they never see a stale core build.
  resolve: { alias: { '@msae/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)) } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000 },
});
