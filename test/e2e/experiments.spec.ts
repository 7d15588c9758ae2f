// The Experiments tab end to end: a small Figure 16 run from the app on real processes of its own, its progress
// and plot as it goes, the CSV export, and no experiment process left once it is done. A screenshot of the tab is
// attached to the report (and saved to docs/screenshots with SAVE_SCREENSHOTS=1).
import { readFileSync, readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { openTab, screenshot } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

/** Processes whose parent is `parent` (Linux /proc). */
function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent && !/\) Z /.test(stat)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

test('runs Figure 16 from the Experiments tab, draws it as it goes, exports CSV and leaves no process', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(lab.url);
  // The lab's own cluster, counted once all its servers run (counted while it still starts, it would come out short).
  for (const id of [1, 2, 3]) await expect(page.getByTestId(`node-${id}`)).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  const labChildren = childPids(lab.process.pid ?? -1).length;
  await openTab(page, 'tab-experiments');
  await expect(page.getByTestId('experiments-panel')).toBeVisible();

  await page.getByTestId('experiment-nodes').fill('3');
  await page.getByTestId('experiment-trials').fill('3');
  await page.getByTestId('experiment-range-150-155').uncheck();
  await page.getByTestId('experiment-range-12-24').check();
  await page.getByTestId('experiment-start').click();
  await expect(page.getByTestId('experiment-status')).toHaveText('running');
  // The plot grows while the run goes on: a first line before the end.
  await expect(page.locator('[data-testid="experiment-plot"] path.series').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('experiment-status')).toHaveText('done', { timeout: 150_000 });
  await expect(page.getByTestId('experiment-progress')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('experiment-plot')).toHaveAttribute('data-rows', '6');
  await expect(page.locator('[data-series="150-300 ms (3 trials)"]').first()).toBeVisible();
  await expect(page.locator('[data-series="12-24 ms (3 trials)"]')).toBeVisible();
  await expect(page.locator('[data-reported="12–24: mean 35 ms"]')).toBeVisible();
  await page.getByTestId('experiment-enlarge').click();
  await expect(page.getByTestId('experiment-figure-dialog')).toBeVisible();
  await screenshot(page, testInfo, 'experiments-figure');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('experiment-figure-dialog')).toHaveCount(0);
  await screenshot(page, testInfo, 'experiments-tab');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('experiment-export-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('range,trial,electionMs,writeMs,terms');
  expect(csv).toHaveLength(7);

  // The experiment's servers are stopped with it: only the lab's own cluster is left.
  await expect.poll(() => childPids(lab.process.pid ?? -1).length, { timeout: 10_000 }).toBe(labChildren);
});
