import { defineConfig } from '@playwright/test';

// The desktop app itself (`npm run test:electron`), for machines where Electron's binary is installed: Playwright
// starts Electron, so no browser is involved. Kept out of the default run (`npm run test:e2e`), which drives web mode.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/electron-app.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright-electron.json' }]],
  outputDir: 'test-results/playwright-electron',
  use: { screenshot: 'only-on-failure', trace: 'retain-on-failure' },
});
