import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { configureSoftwareVulkan } from './test/software-vulkan.js';

// SwiftShader Vulkan for Dawn in the test workers (they inherit this process's environment).
configureSoftwareVulkan();

const coreSource = (file: string) => fileURLToPath(new URL(`../core/src/${file}`, import.meta.url));

export default defineConfig({
  // Tests run against @msae/core's source so they never see a stale core build (exact matches: the subpath first).
  resolve: {
    alias: [
      { find: /^@msae\/core\/conformance$/, replacement: coreSource('conformance/index.ts') },
      { find: /^@msae\/core\/internal$/, replacement: coreSource('internal.ts') },
      { find: /^@msae\/core$/, replacement: coreSource('index.ts') },
    ],
  },
  test: { include: ['test/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000, pool: 'forks', fileParallelism: false },
});
