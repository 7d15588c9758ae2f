// A student does an exercise with the lab's ordinary controls (not "Show me"), on real processes: each step is
// checked from what happens in the cluster, the explanation appears once the goal is reached, and the exercise is
// remembered as done after a reload.
import { expect, test } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { openTab, waitForLeader } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

test('leader-crash, done by hand: each step is checked from the cluster, and the exercise is remembered as done', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(lab.url);
  await openTab(page, 'exercises-tab');
  await expect(page.getByTestId('exercise-list')).toBeVisible();
  await page.getByTestId('exercise-item-leader-crash').click();
  const steps = page.getByTestId('exercise-step');
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toHaveAttribute('data-status', 'pending');

  await page.getByTestId('exercise-start').click();
  await page.getByTestId('confirm-accept').click(); // the lab's own cluster runs: the exercise asks before replacing it
  await expect(page.locator('[data-testid^="node-"][data-role]')).toHaveCount(5, { timeout: 30_000 });
  await expect(steps.nth(0)).toHaveAttribute('data-status', /active|achieved/);
  await page.getByTestId('exercise-hint').click();
  await expect(steps.nth(0)).toContainText('election timer');

  // Step 1: nothing to click; the goal is reached when the cluster elects a leader.
  await expect(steps.nth(0)).toHaveAttribute('data-status', 'achieved', { timeout: 40_000 });
  await expect(page.getByTestId('exercise-explain')).toContainText('Followers 2');
  // Step 2's goal is that the leader of the moment Next is pressed crashes. The first leader can still lose its term
  // to a faster candidate (seen: S2 led term 1, S3 won term 2 a second later); so Next is pressed only once a leader
  // has settled (its no-op committed, every server in its term), and that leader is the one crashed. Read after Next,
  // it could be a later leader than the one the step started with, and the goal would never be reached.
  const leader = await waitForLeader(page, { timeoutMs: 30_000 });
  await page.getByTestId('exercise-next').click();
  await expect(steps.nth(1)).toHaveAttribute('data-status', 'active');
  await expect(page.getByTestId('exercise-next')).toBeDisabled();

  // Step 2: crash the leader with the server's own Crash button.
  await page.getByTestId(`crash-${leader.id}`).click();
  await expect(steps.nth(1)).toHaveAttribute('data-status', 'achieved', { timeout: 60_000 });
  await waitForLeader(page, { notId: leader.id, aboveTerm: leader.term, timeoutMs: 30_000 });
  await expect(page.getByTestId('exercise-explain')).toContainText('majority');

  await page.reload();
  await openTab(page, 'exercises-tab');
  await expect(page.getByTestId('exercise-item-leader-crash')).toHaveAttribute('data-done', 'true');
});
