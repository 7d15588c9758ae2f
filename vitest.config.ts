import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// Unit, integration and component tests only: Playwright owns test/e2e.
export default defineConfig({
  plugins: [vue()],
  // As in the app's build: the renderer benchmark's synthetic lab is left out (renderer/src/main.ts).
  define: { __RAFT_LAB_BENCH__: 'false' },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/component/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
