// A screenshot of each view on a live 5-server cluster, attached to the report (and saved to docs/screenshots for
// the README when SAVE_SCREENSHOTS=1). Each also checks that its view shows what it is meant to.
import { expect, test } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { clientRequest, runningLeaders, screenshot, startCluster, waitForLeader } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

test('screenshots of every view', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(lab.url);
  await startCluster(page, 5);
  const leader = await waitForLeader(page);
  for (const [key, value] of [['x', '1'], ['y', '2'], ['x', '3']] as const) expect(await clientRequest(page, 'put', key, value)).toBe('ok');
  const follower = leader.id === 5 ? 4 : 5;
  await page.getByTestId(`isolate-${follower}`).click();
  expect(await clientRequest(page, 'put', 'z', '4')).toBe('ok');
  // Select the leader to show its replication state (re-pick if leadership moved on a loaded machine).
  await expect.poll(async () => {
    const [current] = await runningLeaders(page);
    if (!current) return false;
    if ((await page.getByTestId('server-inspector').count()) === 0) await page.getByTestId(`node-${current.id}`).click();
    const shown = (await page.getByTestId('server-inspector').textContent()) ?? '';
    if (shown.includes('nextIndex')) return true;
    await page.getByTestId(`node-${current.id}`).click();
    return false;
  }, { timeout: 20_000 }).toBe(true);

  // Slow motion so that messages are caught crossing the links.
  await page.getByTestId('time-scale').fill('20');
  await page.getByTestId('time-scale').press('Enter');
  await expect(page.locator('[data-testid^="message-"]').first()).toBeVisible({ timeout: 10_000 });
  await screenshot(page, testInfo, 'lab-overview');
  await screenshot(page, testInfo, 'cluster-view', 'cluster-view');
  await expect(page.getByTestId(`log-row-${follower}`)).toBeVisible();
  await screenshot(page, testInfo, 'logs-view', 'logs-view');

  await expect(page.getByTestId('event-log')).toBeVisible();
  await screenshot(page, testInfo, 'events-tab', 'event-log');
  await screenshot(page, testInfo, 'timeline', 'timeline');
  for (const tab of ['faults', 'client', 'settings'] as const) {
    await page.getByTestId(`tab-${tab}`).click();
    await expect(page.getByTestId(`${tab}-panel`)).toBeVisible();
    await screenshot(page, testInfo, `${tab}-tab`);
  }

  await page.getByTestId('tab-events').click();
  await page.getByTestId('theme-toggle').click();
  const theme = await page.locator('html').getAttribute('data-theme');
  expect(theme === 'dark' || theme === 'light').toBe(true);
  await screenshot(page, testInfo, `lab-overview-${theme ?? 'other'}`);
  await page.getByTestId('presentation-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'true');
  await screenshot(page, testInfo, 'presentation-mode');
  await page.getByTestId('presentation-toggle').click();
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await screenshot(page, testInfo, 'help-overlay');
  await page.keyboard.press('Escape');
  await page.getByTestId('heal-all').click();
});
