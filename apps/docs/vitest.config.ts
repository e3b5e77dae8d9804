import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One Chromium at a time: the machines running CI have few cores.
    fileParallelism: false,
  },
});
